// Each round of a figure runs in a process of its own that prints its result as JSON on its last line.
import { spawn } from 'node:child_process';

/** Runs `command` to completion and parses the last line of its stdout as JSON. */
export function runJson(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], ...options });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    // `close`, not `exit`: stdout is read to its end before the line is parsed.
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} exited ${code}`));
      try { resolvePromise(JSON.parse(out.trim().split('\n').pop())); } catch (e) { reject(e); }
    });
  });
}
