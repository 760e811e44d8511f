// Stub of `winston` (subset of its index.d.ts): createLogger, leveled log methods, child loggers, formats, transports.
declare module 'winston' {
  import type { Writable } from 'stream';

  namespace winston {
    interface TransformableInfo {
      level: string;
      message: unknown;
      [key: string | symbol]: unknown;
    }

    interface Format {
      transform(info: TransformableInfo, opts?: unknown): TransformableInfo | boolean;
    }

    namespace format {
      function combine(...formats: Format[]): Format;
      function timestamp(opts?: { format?: string | (() => string); alias?: string }): Format;
      function json(opts?: { space?: number }): Format;
      function errors(opts?: { stack?: boolean }): Format;
      function colorize(opts?: { all?: boolean; level?: boolean; message?: boolean }): Format;
      function simple(): Format;
      function splat(): Format;
      function label(opts?: { label?: string; message?: boolean }): Format;
      function printf(templateFunction: (info: TransformableInfo) => string): Format;
    }

    interface TransportStreamOptions {
      format?: Format;
      level?: string;
      silent?: boolean;
      handleExceptions?: boolean;
      handleRejections?: boolean;
    }

    class Transport {
      constructor(opts?: TransportStreamOptions);
      format?: Format;
      level?: string;
      silent?: boolean;
    }

    namespace transports {
      interface ConsoleTransportOptions extends TransportStreamOptions {
        consoleWarnLevels?: string[];
        stderrLevels?: string[];
        debugStdout?: boolean;
        eol?: string;
      }
      interface FileTransportOptions extends TransportStreamOptions {
        filename?: string;
        dirname?: string;
        maxsize?: number;
        maxFiles?: number;
        tailable?: boolean;
        zippedArchive?: boolean;
      }
      interface HttpTransportOptions extends TransportStreamOptions {
        ssl?: boolean | { ca: string };
        host?: string;
        port?: number;
        auth?: { username?: string; password?: string; bearer?: string };
        path?: string;
        headers?: Record<string, string>;
        batch?: boolean;
        batchInterval?: number;
        batchCount?: number;
      }
      interface StreamTransportOptions extends TransportStreamOptions {
        stream: Writable;
        eol?: string;
      }
      class Console extends Transport {
        constructor(options?: ConsoleTransportOptions);
      }
      class File extends Transport {
        constructor(options?: FileTransportOptions);
      }
      class Http extends Transport {
        constructor(options?: HttpTransportOptions);
      }
      class Stream extends Transport {
        constructor(options?: StreamTransportOptions);
      }
    }

    interface LogEntry {
      level: string;
      message: string;
      [optionName: string]: any;
    }

    interface LogMethod {
      (level: string, message: string, ...meta: any[]): Logger;
      (level: string, message: any): Logger;
      (entry: LogEntry): Logger;
    }

    interface LeveledLogMethod {
      (message: string, ...meta: any[]): Logger;
      (message: any): Logger;
      (infoObject: object): Logger;
    }

    interface LoggerOptions {
      levels?: Record<string, number>;
      silent?: boolean;
      format?: Format;
      level?: string;
      exitOnError?: boolean | ((err: Error) => void);
      defaultMeta?: any;
      transports?: Transport[] | Transport;
      handleExceptions?: boolean;
      handleRejections?: boolean;
      exceptionHandlers?: any;
      rejectionHandlers?: any;
    }

    interface Logger {
      silent: boolean;
      format: Format;
      level: string;
      log: LogMethod;
      error: LeveledLogMethod;
      warn: LeveledLogMethod;
      help: LeveledLogMethod;
      data: LeveledLogMethod;
      info: LeveledLogMethod;
      debug: LeveledLogMethod;
      prompt: LeveledLogMethod;
      http: LeveledLogMethod;
      verbose: LeveledLogMethod;
      input: LeveledLogMethod;
      silly: LeveledLogMethod;
      add(transport: Transport): Logger;
      remove(transport: Transport): Logger;
      clear(): Logger;
      close(): Logger;
      child(options: object): Logger;
      isLevelEnabled(level: string): boolean;
    }

    function createLogger(options?: LoggerOptions): Logger;

    let level: string;
    const log: LogMethod;
    const error: LeveledLogMethod;
    const warn: LeveledLogMethod;
    const info: LeveledLogMethod;
    const http: LeveledLogMethod;
    const verbose: LeveledLogMethod;
    const debug: LeveledLogMethod;
    const silly: LeveledLogMethod;
    function child(options: object): Logger;
  }

  export = winston;
}
