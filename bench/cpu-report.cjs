// Preloaded by bench/lib.js `cpuTime` (NODE_OPTIONS=--require): at exit, writes this process's CPU
// time (user + system, in microseconds, since it started) to standard error after a marker.
'use strict'
process.on('exit', () => {
  const { user, system } = process.cpuUsage()
  process.stderr.write(`\nwf-bench-cpu-us ${user + system}\n`)
})
