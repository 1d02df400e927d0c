# Two images from one build: `api` and `web` (see docker-compose.yml).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY api/package.json api/
COPY web/package.json web/
COPY seeds/package.json seeds/
COPY tests/package.json tests/
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS api
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/api/package.json api/
COPY --from=build /app/api/dist api/dist
# The exports and releases say their words from the web's catalogues (api/src/i18n/messages.ts).
COPY --from=build /app/web/src/lib/i18n/messages web/src/lib/i18n/messages
COPY --from=build /app/seeds seeds
COPY --from=build /app/schema schema
WORKDIR /app/api
EXPOSE 4000
USER node
# A larger young generation: a page of comments is garbage by the time the response is written,
# and with the default 16 MB, concurrent requests pushed it into the old generation (measured in
# bench/RESULTS.md: about a fifth of the API's CPU per request at 32 connections).
CMD ["node", "--max-semi-space-size=64", "dist/main.js"]

FROM node:20-bookworm-slim AS web
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/web/package.json web/
COPY --from=build /app/web/build web/build
COPY --from=build /app/web/server.js web/
WORKDIR /app/web
EXPOSE 3000
USER node
CMD ["node", "server.js"]
