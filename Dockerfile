# syntax=docker/dockerfile:1
# dbdoctor as a container: docker build -t dbdoctor .
#   docker run --rm -v "$PWD:/work" dbdoctor audit .
#   docker run --rm -v "$PWD:/work" dbdoctor check --env-file .env
# The image runs exactly what `npm install --global` of the published tarball runs: the build stage packs the
# project (prepack builds a clean dist/), the runtime stage installs that tarball, which has no dependencies.

# The base image: node:20-alpine for everyone; the tests build on an engine that reaches no registry and pass a
# locally assembled stand-in (--build-arg BASE=..., scripts/lab/node-image.ts).
ARG BASE=node:20-alpine

FROM ${BASE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Dev dependencies are the build tools (esbuild) and what the bundle contains; no install script is needed.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# npm pack does not create its destination directory.
RUN mkdir /pkg && npm pack --pack-destination /pkg && mv /pkg/dbdoctor-*.tgz /pkg/dbdoctor.tgz

FROM ${BASE}
LABEL org.opencontainers.image.title="dbdoctor" \
      org.opencontainers.image.description="Why an application cannot reach its PostgreSQL database over TLS, and how to fix it" \
      org.opencontainers.image.source="https://github.com/dbdoctor/dbdoctor" \
      org.opencontainers.image.licenses="MIT"
COPY --from=build /pkg/dbdoctor.tgz /tmp/dbdoctor.tgz
# No registry access: the tarball has no dependencies. The bin starts through BusyBox's env and sh.
RUN npm install --global --no-audit --no-fund /tmp/dbdoctor.tgz \
 && rm /tmp/dbdoctor.tgz \
 && npm cache clean --force \
 && dbdoctor --version
# The node image's unprivileged user, numeric so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
WORKDIR /work
ENTRYPOINT ["dbdoctor"]
CMD ["--help"]
