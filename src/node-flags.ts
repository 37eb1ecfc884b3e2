/**
 * The V8 flags the tracker runs with, wherever it is started by this repository: `npm start`
 * (package.json, checked by test/repo/node-flags.spec.ts) and the bench's tracker processes.
 *
 * Semi-spaces of 64 MB (Node's default is 16 MB): a request's short-lived objects (the parsed
 * call, its log entry, the batch's JSON, pg's rows) die in the young generation instead of being
 * copied out of it by a scavenge that came too soon. Alternated bench runs on 2026-12-05: the
 * postbacks' tracker CPU 162-194 against 206-221 µs a call (four pairs), clicks within the noise
 * (docs/decisions.md). A flag of the process: it cannot be set once the heap exists.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
