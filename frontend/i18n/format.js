/**
 * Formatting for the browser's strings, pure: MessageFormat-like placeholders, and dates and sizes in the page's
 * language.
 *
 * @module format
 */

/** "{0} of {1}" with params; a single quote pair '' is a quote, as in Java's MessageFormat. */
export function format(pattern, params = []) {
  return String(pattern).replace(/\{(\d+)\}/g, (whole, i) => (params[i] !== undefined ? String(params[i]) : whole))
    .replace(/''/g, "'");
}

const UNITS = {
  fr: ['o', 'Ko', 'Mo', 'Go'],
  en: ['B', 'KB', 'MB', 'GB'],
};

/** 512 B, 4.2 KB / 512 o, 4,2 Ko: sizes as people of that language write them. */
export function humanSize(bytes, language = 'en') {
  const lang = String(language).slice(0, 2).toLowerCase();
  const units = UNITS[lang] || UNITS.en;
  if (!(bytes >= 0)) return '';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const number = unit === 0 ? String(value) : new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
  return number + '\u00a0' + units[unit];
}

/** A date and time in the language's usual form. */
export function dateTime(value, language = 'en') {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
