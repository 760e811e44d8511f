// Subset of @sentry/node: init, capture functions, scope (context, user, tags) and breadcrumbs.
declare module '@sentry/node' {
  type SeverityLevel = 'fatal' | 'error' | 'warning' | 'log' | 'info' | 'debug';
  type Extras = Record<string, unknown>;
  type Context = Record<string, unknown>;
  interface User {
    id?: string | number;
    ip_address?: string | null;
    email?: string;
    username?: string;
    [key: string]: any;
  }
  interface Breadcrumb {
    type?: string;
    level?: SeverityLevel;
    event_id?: string;
    category?: string;
    message?: string;
    data?: { [key: string]: any };
    timestamp?: number;
  }
  interface ScopeContext {
    user: User;
    level: SeverityLevel;
    extra: Extras;
    contexts: Record<string, Context>;
    tags: { [key: string]: string | number | boolean };
    fingerprint: string[];
  }
  type CaptureContext = Partial<ScopeContext>;
  interface Scope {
    setTag(key: string, value: string | number | boolean): this;
    setExtra(key: string, extra: unknown): this;
    setContext(name: string, context: Context | null): this;
    setUser(user: User | null): this;
  }
  interface Event {
    message?: string;
    extra?: Extras;
    user?: User;
  }
  interface Options {
    dsn?: string;
    environment?: string;
    release?: string;
    tracesSampleRate?: number;
    sendDefaultPii?: boolean;
    beforeSend?(event: Event): Event | null;
  }
  function init(options?: Options): void;
  function captureException(exception: unknown, hint?: CaptureContext): string;
  function captureMessage(message: string, captureContext?: CaptureContext | SeverityLevel): string;
  function captureEvent(event: Event): string;
  function setContext(name: string, context: Context | null): void;
  function setExtra(key: string, extra: unknown): void;
  function setExtras(extras: Extras): void;
  function setTag(key: string, value: string | number | boolean): void;
  function setTags(tags: { [key: string]: string | number | boolean }): void;
  function setUser(user: User | null): void;
  function addBreadcrumb(breadcrumb: Breadcrumb, hint?: Record<string, unknown>): void;
  function withScope<T>(callback: (scope: Scope) => T): T;
  export {
    init, captureException, captureMessage, captureEvent, setContext, setExtra, setExtras, setTag, setTags, setUser, addBreadcrumb, withScope,
    Breadcrumb, CaptureContext, Event, Options, Scope, SeverityLevel, User,
  };
}
