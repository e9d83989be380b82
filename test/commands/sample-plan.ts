/** Four phases in a small DAG (lint → build → test, lint → docs), for the listing commands. */
export const plan = `version: 1
phases:
  - id: lint
    name: Lint
    tasks: [{ run: "true" }]
  - id: build
    name: Build
    needs: [lint]
  - id: test
    needs: [build]
    gates: [{ files-exist: [README.md] }]
  - id: docs
    needs: [lint]
`
