# Essaim: build the jar, then run it as an unprivileged user with all data in one volume.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml package.json package-lock.json ./
COPY frontend frontend
COPY src src
RUN mvn -B -Pproduction -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /var/lib/essaim --shell /usr/sbin/nologin essaim \
    && mkdir -p /var/lib/essaim && chown essaim /var/lib/essaim
COPY --from=build /src/target/essaim.jar /opt/essaim/essaim.jar
COPY bin/essaim /opt/essaim/bin/essaim
ENV ESSAIM_JAR=/opt/essaim/essaim.jar ESSAIM_CDS=/opt/essaim/cds
# The class data sharing archive, made once here by a training start on loopback (docs/operations.md): every
# container then starts faster. The launcher also carries the recommended JVM flags.
RUN /opt/essaim/bin/essaim --prepare
USER essaim
ENV ESSAIM_DATA_DIR=/var/lib/essaim
VOLUME /var/lib/essaim
# web, SMTP (MX), submission, IMAP, IMAPS, POP3, POP3S: map them to 80/443 (behind a TLS proxy), 25, 587, 143, 993, 110, 995
EXPOSE 8080 2525 2587 1143 1993 1110 1995
# Ready when GET /actuator/health/readiness on 8080 answers 200 (web, mail ports and the first admin up): point the
# orchestrator's readiness probe there, its liveness probe at /actuator/health/liveness.
ENTRYPOINT ["/opt/essaim/bin/essaim"]
