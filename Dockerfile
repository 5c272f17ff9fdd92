# fangpin image: the API, the worker and the partner simulators (the command picks which).
# Multi-stage: build with dev dependencies, ship compiled JavaScript, the prebuilt workflow bundle
# (dist/workflow-bundle.js, used by the worker) and production dependencies only, as a non-root user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json tsconfig.build.json ./
COPY api ./api
COPY common ./common
COPY db ./db
COPY domain ./domain
COPY workers ./workers
COPY workflows ./workflows
COPY sim ./sim
COPY scripts ./scripts
COPY web ./web
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# the CJK font the printable public notice (PDF) is set in
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-wqy-microhei && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node docker ./docker
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=6 CMD node -e "fetch('http://127.0.0.1:'+(process.env.API_PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/api/server.js"]
