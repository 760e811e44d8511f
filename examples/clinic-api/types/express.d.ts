// Subset of @types/express (+ express-serve-static-core): application, router, request and response.
declare module 'express' {
  import type { IncomingMessage, ServerResponse, Server } from 'node:http';

  namespace e {
    interface ParamsDictionary {
      [key: string]: string;
    }
    interface ParsedQs {
      [key: string]: undefined | string | string[] | ParsedQs | ParsedQs[];
    }
    interface NextFunction {
      (err?: any): void;
    }
    interface CookieOptions {
      maxAge?: number;
      signed?: boolean;
      expires?: Date;
      httpOnly?: boolean;
      path?: string;
      domain?: string;
      secure?: boolean;
      sameSite?: boolean | 'lax' | 'strict' | 'none';
    }
    interface Send<ResBody = any, T = Response<ResBody>> {
      (body?: ResBody): T;
    }
    interface Request<P = ParamsDictionary, ResBody = any, ReqBody = any, ReqQuery = ParsedQs, Locals extends Record<string, any> = Record<string, any>>
      extends IncomingMessage {
      params: P;
      query: ReqQuery;
      body: ReqBody;
      cookies: Record<string, string>;
      path: string;
      originalUrl: string;
      ip: string | undefined;
      get(name: string): string | undefined;
      header(name: string): string | undefined;
      res?: Response<ResBody, Locals>;
    }
    interface Response<ResBody = any, Locals extends Record<string, any> = Record<string, any>> extends ServerResponse {
      status(code: number): this;
      sendStatus(code: number): this;
      send: Send<ResBody, this>;
      json: Send<ResBody, this>;
      jsonp: Send<ResBody, this>;
      sendFile(path: string, fn?: (err: Error) => void): void;
      download(path: string, filename?: string): void;
      type(type: string): this;
      set(field: string, value?: string | string[]): this;
      header(field: string, value?: string | string[]): this;
      attachment(filename?: string): this;
      cookie(name: string, val: string, options?: CookieOptions): this;
      cookie(name: string, val: any, options?: CookieOptions): this;
      clearCookie(name: string, options?: CookieOptions): this;
      redirect(url: string): void;
      redirect(status: number, url: string): void;
      render(view: string, options?: object, callback?: (err: Error, html: string) => void): void;
      locals: Locals;
      end(cb?: () => void): this;
      end(chunk: any, cb?: () => void): this;
    }
    interface RequestHandler<P = ParamsDictionary, ResBody = any, ReqBody = any, ReqQuery = ParsedQs> {
      (req: Request<P, ResBody, ReqBody, ReqQuery>, res: Response<ResBody>, next: NextFunction): unknown;
    }
    type ErrorRequestHandler = (err: any, req: Request, res: Response, next: NextFunction) => unknown;
    interface IRouterMatcher<T> {
      <P = ParamsDictionary, ResBody = any, ReqBody = any, ReqQuery = ParsedQs>(
        path: string | RegExp | Array<string | RegExp>,
        ...handlers: Array<RequestHandler<P, ResBody, ReqBody, ReqQuery>>
      ): T;
    }
    interface IRouterHandler<T> {
      (...handlers: RequestHandler[]): T;
    }
    interface IRouter extends RequestHandler {
      get: IRouterMatcher<this>;
      post: IRouterMatcher<this>;
      put: IRouterMatcher<this>;
      patch: IRouterMatcher<this>;
      delete: IRouterMatcher<this>;
      all: IRouterMatcher<this>;
      use: IRouterHandler<this> & IRouterMatcher<this> & ((path: string, router: IRouter) => this) & ((handler: ErrorRequestHandler) => this);
      route(prefix: string): { get: IRouterMatcher<any>; post: IRouterMatcher<any> };
    }
    interface Router extends IRouter {}
    interface Application extends IRouter {
      listen(port: number, callback?: () => void): Server;
      listen(port: number, hostname: string, callback?: () => void): Server;
      set(setting: string, val: any): this;
      locals: Record<string, any>;
    }
    interface Express extends Application {}
    interface RouterOptions {
      caseSensitive?: boolean;
      mergeParams?: boolean;
      strict?: boolean;
    }
    function Router(options?: RouterOptions): Router;
    function json(options?: { limit?: number | string }): RequestHandler;
    function urlencoded(options?: { extended?: boolean }): RequestHandler;
  }
  function e(): e.Express;
  export = e;
}
