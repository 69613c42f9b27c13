/**
 * Imported first by the entry points. undici parses HTTP with llhttp compiled to WebAssembly; V8
 * compiles it at once with its baseline compiler (Liftoff) and then again, optimised, on a background
 * thread, and on Node 20 the process cannot exit until that finishes: about 0.1-0.15 s added to every
 * step that made a request (measured: SIGKILL right after the last response ended 0.01 s later,
 * exit 0.15 s later). llhttp only parses response heads here, so the baseline code is plenty. Node 24
 * waits much less; the flag is harmless there.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--liftoff-only');
