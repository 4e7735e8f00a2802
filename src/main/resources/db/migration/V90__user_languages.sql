-- The language each user chose in My account. No row: the browser's language decides (issue 19).
CREATE TABLE user_languages (
    address  VARCHAR(320) NOT NULL PRIMARY KEY,
    language VARCHAR(35)  NOT NULL
);
