# mmgate's image. No Docker engine runs in this project's CI: test/dockerfile.test.ts replays the
# runtime stage's steps in a scratch directory from a packed tarball instead.
#
#   docker build -t mmgate:0.1.0 .                     # the gate (API journeys)
#   docker build -t mmgate:0.1.0-browser --target browser .   # plus Chromium for the browser journeys

# Build: compile and pack exactly what package.json's "files" ships (no tests).
FROM node:22-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npx tsc -p tsconfig.json \
 && mkdir /out && npm pack --ignore-scripts --pack-destination /out \
 && mv /out/mmgate-*.tgz /out/mmgate.tgz && cp package-lock.json /out/

# Runtime: the packed package with its production dependencies, installed from the lock file.
FROM node:22-slim AS runtime
ENV APP=/opt/mmgate NODE_ENV=production
COPY --from=build /out/ /tmp/mmgate/
RUN mkdir -p "$APP" && tar -xzf /tmp/mmgate/mmgate.tgz -C "$APP" --strip-components=1 \
 && cp /tmp/mmgate/package-lock.json "$APP/" \
 && cd "$APP" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force && rm -rf /tmp/mmgate \
 && chmod 0755 "$APP/dist/cli/main.js" && ln -s "$APP/dist/cli/main.js" /usr/local/bin/mmgate
# Non-root: the node image's user (uid 1000). Reports go to a volume mounted at /reports.
USER node
WORKDIR /home/node
ENTRYPOINT ["mmgate"]
CMD ["--help"]

# Browser journeys: Debian's Chromium, which mmgate finds at /usr/bin/chromium.
FROM runtime AS browser
USER root
RUN apt-get update && apt-get install -y --no-install-recommends chromium fonts-liberation \
 && rm -rf /var/lib/apt/lists/*
USER node
