// `npm start`: build what is stale, then run the server (API, Swagger and the Angular app)
// in this process, so signals reach it directly and shutdown stays graceful.
import { buildIfStale } from './build-if-stale.mjs';

buildIfStale();
await import('../dist/server/main.js');
