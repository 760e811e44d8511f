// Stub of the `pg` package (subset of @types/pg): pools, clients and query results.
declare module 'pg' {
  export interface QueryResultRow {
    [column: string]: any;
  }
  export interface FieldDef {
    name: string;
    dataTypeID: number;
  }
  export interface QueryResult<R extends QueryResultRow = any> {
    command: string;
    rowCount: number | null;
    oid: number;
    fields: FieldDef[];
    rows: R[];
  }
  export interface PoolConfig {
    connectionString?: string;
    host?: string;
    port?: number;
    user?: string;
    password?: string;
    database?: string;
    max?: number;
    idleTimeoutMillis?: number;
    ssl?: boolean | { rejectUnauthorized?: boolean };
  }
  export class PoolClient {
    query<R extends QueryResultRow = any, I extends any[] = any[]>(queryText: string, values?: I): Promise<QueryResult<R>>;
    release(err?: Error | boolean): void;
  }
  export class Pool {
    constructor(config?: PoolConfig);
    totalCount: number;
    connect(): Promise<PoolClient>;
    query<R extends QueryResultRow = any, I extends any[] = any[]>(queryText: string, values?: I): Promise<QueryResult<R>>;
    end(): Promise<void>;
    on(event: 'error', listener: (err: Error) => void): this;
  }
  export class Client {
    constructor(config?: string | PoolConfig);
    connect(): Promise<void>;
    query<R extends QueryResultRow = any, I extends any[] = any[]>(queryText: string, values?: I): Promise<QueryResult<R>>;
    end(): Promise<void>;
  }
}
