#!/bin/sh
# The "VS Code executable" handed to @vscode/test-electron's runTests (vscodeExecutablePath):
# runs launcher.mjs, which serves the workbench from code-server. Node 24 from .cache when there.
here=$(cd "$(dirname "$0")" && pwd)
node_bin="$here/../../.cache/node24/bin/node"
[ -x "$node_bin" ] || node_bin=node
exec "$node_bin" "$here/launcher.mjs" "$@"
