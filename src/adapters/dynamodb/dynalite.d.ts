/** The part of dynalite 4.0.0 (`node_modules/dynalite/index.js`, untyped CommonJS) this project uses. */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB folder for on-disk persistence; in-memory when absent. */
    path?: string;
    /** How long a table stays CREATING / DELETING / UPDATING. Default 500 ms each. */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    /** Default 400. */
    maxItemSizeKb?: number;
    ssl?: boolean;
    verbose?: boolean;
    debug?: boolean;
  }

  /**
   * An http.Server (https with `ssl`) whose `close(cb)` also closes the LevelDB store; it calls `cb`
   * only once the HTTP server has stopped, i.e. after every open connection has ended.
   */
  function dynalite(options?: DynaliteOptions): Server;

  export = dynalite;
}
