// The catalogue of sinks: where data leaves the system, keyed by module and member, with a name-only fallback.
import type { SinkKind } from '../model';

export interface SinkEntry {
  kind: SinkKind;
  label: string;
  recipient?: string;
  /** Modules the function comes from (resolved declaration, or the import of the callee's root). */
  modules: RegExp;
  /** Member (or function) name. */
  members: RegExp;
  /** With types: the interface/class declaring the member must match (Response.json, not Array.json). */
  containers?: RegExp;
  /** Without types or module: the callee's receiver name must match (`res.json`, `logger.info`). */
  receivers?: RegExp;
  /** 0-based indexes of the arguments that carry data; absent = all. */
  dataArgs?: number[];
  /** Index of the URL argument of an outbound request (decides the recipient and internal traffic). */
  urlArg?: number;
}

const HTTP_SERVER = /^(express|express-serve-static-core|fastify|koa|@koa\/router|koa-router|hono|next|next\/server|http|node:http|@nestjs\/common|restify|h3)$/;
const LOG_METHODS = /^(log|info|warn|warning|error|debug|trace|fatal|verbose|silly|notice|critical|crit|emerg|alert|http|table|dir|dirxml|group|groupCollapsed|assert)$/;

export const SINKS: SinkEntry[] = [
  // HTTP responses.
  { kind: 'export', label: 'HTTP response', modules: HTTP_SERVER, members: /^(json|send|jsonp|end|write|render)$/, containers: /^(Response|ServerResponse|FastifyReply|Reply|Context|OutgoingMessage)$/, receivers: /^(res|response|reply|resp|ctx|c|context|rep)$/ },
  { kind: 'export', label: 'HTTP response (NextResponse.json)', modules: /^(next\/server|next)$/, members: /^json$/, containers: /^(NextResponse|typeof NextResponse)$/, receivers: /^NextResponse$/ },
  { kind: 'export', label: 'HTTP response (Response.json)', modules: /^(lib|global|undici-types|undici)$/, members: /^json$/, containers: /^(Response|ResponseConstructor|typeof Response)$/, receivers: /^Response$/ },
  { kind: 'export', label: 'HTTP response (hono)', modules: /^hono$/, members: /^(json|text|body|html)$/, containers: /^Context$/, receivers: /^(c|ctx|context)$/ },
  // Outbound requests.
  { kind: 'export', label: 'outbound request (navigator.sendBeacon)', modules: /^(lib|global)$/, members: /^sendBeacon$/, containers: /^Navigator$/, receivers: /^navigator$/, urlArg: 0 },
  { kind: 'export', label: 'outbound request (fetch)', modules: /^(lib|global|undici-types|node-fetch|cross-fetch|isomorphic-fetch)$/, members: /^fetch$/, urlArg: 0 },
  { kind: 'export', label: 'outbound request (axios)', modules: /^axios$/, members: /^(post|put|patch|request|get|delete|postForm|putForm|default|axios)$/, receivers: /^(axios|http|client|api|httpClient|apiClient|instance)$/, urlArg: 0 },
  { kind: 'export', label: 'outbound request (got)', modules: /^got$/, members: /^(got|post|put|patch|default|get)$/, urlArg: 0 },
  { kind: 'export', label: 'outbound request (undici)', modules: /^undici$/, members: /^(request|fetch|stream)$/, urlArg: 0 },
  { kind: 'export', label: 'outbound request (node http)', modules: /^(node:)?https?$/, members: /^(request|get)$/, urlArg: 0 },
  { kind: 'export', label: 'outbound request (node http)', modules: /^(node:)?https?$/, members: /^(write|end)$/, containers: /^ClientRequest$/ },
  { kind: 'export', label: 'outbound request (superagent)', modules: /^superagent$/, members: /^send$/ },
  // Files and exports.
  { kind: 'export', label: 'file write (fs)', modules: /^(node:)?fs(\/promises)?$/, members: /^(writeFile|writeFileSync|appendFile|appendFileSync)$/, receivers: /^(fs|fsp|promises)$/, dataArgs: [1] },
  { kind: 'export', label: 'file write (stream)', modules: /^(node:)?(fs|stream)(\/promises)?$/, members: /^(write|end)$/, containers: /^(WriteStream|Writable|WritableBase|Duplex|Transform|PassThrough|FileHandle)$/ },
  { kind: 'export', label: 'file write (fs)', modules: /^(node:)?fs(\/promises)?$/, members: /^(writeFile|appendFile|write)$/, containers: /^FileHandle$/ },
  { kind: 'export', label: 'spreadsheet export (xlsx)', modules: /^(xlsx|xlsx-js-style)$/, members: /^(writeFile|writeFileSync|writeFileAsync|write|writeXLSX)$/, receivers: /^(XLSX|xlsx)$/ },
  { kind: 'export', label: 'spreadsheet export (exceljs)', modules: /^exceljs$/, members: /^(writeFile|write|writeBuffer)$/ },
  { kind: 'export', label: 'PDF export (pdfkit)', modules: /^pdfkit$/, members: /^text$/, containers: /^PDFDocument/ },
  { kind: 'export', label: 'file transfer (SFTP/FTP)', modules: /^(ssh2-sftp-client|ssh2|basic-ftp|ftp|promise-ftp)$/, members: /^(put|fastPut|append|uploadFrom|uploadFromDir|appendFrom)$/, dataArgs: [0] },
  // Queues, streams, pub/sub.
  { kind: 'export', label: 'message queue (kafkajs)', modules: /^kafkajs$/, members: /^(send|sendBatch)$/ },
  { kind: 'export', label: 'message queue (amqplib)', modules: /^amqplib(\/callback_api)?$/, members: /^(sendToQueue|publish)$/ },
  { kind: 'export', label: 'message queue (AWS SQS/SNS)', modules: /^@aws-sdk\/client-(sqs|sns|kinesis|eventbridge|firehose)$/, members: /^(send)$/, containers: /Client$/ },
  { kind: 'export', label: 'e-mail (Amazon SES)', modules: /^@aws-sdk\/client-(ses|sesv2|pinpoint|pinpoint-sms-voice-v2)$/, members: /^(send)$/, containers: /Client$/ },
  { kind: 'export', label: 'pub/sub (Google Pub/Sub)', modules: /^@google-cloud\/pubsub$/, members: /^(publish|publishMessage|publishJSON)$/ },
  { kind: 'export', label: 'job queue (BullMQ)', modules: /^(bullmq|bull|bee-queue)$/, members: /^(add|addBulk)$/, containers: /^(Queue|Bull)/ },
  { kind: 'export', label: 'pub/sub (Redis publish)', modules: /^(ioredis|redis|@redis\/client)$/, members: /^(publish|xadd|lpush|rpush|spublish)$/ },
  { kind: 'export', label: 'event stream (NATS)', modules: /^nats$/, members: /^publish$/ },
  // Cloud storage.
  { kind: 'export', label: 'cloud storage (S3)', modules: /^@aws-sdk\/(client-s3|lib-storage)$/, members: /^(send|done)$/, containers: /^(S3Client|S3|Upload)$/ },
  { kind: 'export', label: 'cloud storage (S3)', modules: /^aws-sdk$/, members: /^(putObject|upload)$/ },
  { kind: 'export', label: 'cloud storage (Google Cloud Storage)', modules: /^@google-cloud\/storage$/, members: /^(save|upload|createWriteStream)$/ },
  { kind: 'export', label: 'cloud storage (Azure Blob)', modules: /^@azure\/storage-blob$/, members: /^(upload|uploadData|uploadStream|uploadBrowserData)$/ },
  // E-mail and SMS.
  { kind: 'export', label: 'e-mail (nodemailer)', modules: /^nodemailer$/, members: /^sendMail$/, receivers: /^(transporter|transport|mailer|smtp)$/ },
  { kind: 'third-party', label: 'e-mail (SendGrid)', recipient: 'sendgrid', modules: /^@sendgrid\/mail$/, members: /^(send|sendMultiple)$/, receivers: /^(sgMail|sendgrid|sg)$/ },
  { kind: 'third-party', label: 'SMS (Twilio)', recipient: 'twilio', modules: /^twilio$/, members: /^create$/, containers: /Message/ },
  { kind: 'third-party', label: 'e-mail (Postmark)', recipient: 'postmark', modules: /^postmark$/, members: /^(sendEmail|sendEmailWithTemplate)$/ },
  { kind: 'third-party', label: 'e-mail (Mailgun)', recipient: 'mailgun', modules: /^(mailgun\.js|mailgun-js)$/, members: /^create$/ },
  // WebSocket, postMessage.
  { kind: 'export', label: 'WebSocket (socket.io)', modules: /^socket\.io(-client)?$/, members: /^(emit|send)$/, receivers: /^(io|socket|nsp|namespace)$/ },
  { kind: 'export', label: 'WebSocket (ws)', modules: /^ws$/, members: /^send$/, containers: /^WebSocket$/, receivers: /^(ws|socket|client)$/ },
  { kind: 'export', label: 'WebSocket', modules: /^(lib|global)$/, members: /^send$/, containers: /^(WebSocket|RTCDataChannel)$/ },
  // postMessage leaves the page towards another window (a parent frame, an opener, an embedded third party);
  // a message to the app's own Web Worker or BroadcastChannel stays inside the application.
  { kind: 'export', label: 'postMessage to another window', modules: /^(lib|global)$/, members: /^postMessage$/, containers: /^(Window|WindowProxy|MessagePort|Client|ServiceWorker)$/, receivers: /^(window|parent|top|opener|contentWindow|frame|iframe|popup)$/, dataArgs: [0] },
  // Third parties: error tracking, monitoring, analytics, AI.
  { kind: 'third-party', label: 'error tracker (Sentry)', recipient: 'sentry', modules: /^@sentry\//, members: /^(captureException|captureMessage|captureEvent|setContext|setExtra|setExtras|setTag|setTags|addBreadcrumb|setUser)$/, receivers: /^Sentry$/ },
  { kind: 'third-party', label: 'error tracker (Bugsnag)', recipient: 'bugsnag', modules: /^@bugsnag\//, members: /^(notify|leaveBreadcrumb|addMetadata)$/ },
  { kind: 'third-party', label: 'error tracker (Rollbar)', recipient: 'rollbar', modules: /^rollbar$/, members: /^(error|warning|info|critical|log)$/ },
  { kind: 'third-party', label: 'monitoring (Datadog APM)', recipient: 'datadog', modules: /^(dd-trace|@datadog\/browser-rum)$/, members: /^(setTag|addTags|addAction|addError|setUser|setGlobalContextProperty)$/ },
  { kind: 'third-party', label: 'monitoring (New Relic)', recipient: 'newrelic', modules: /^newrelic$/, members: /^(addCustomAttribute|addCustomAttributes|recordCustomEvent|noticeError|addCustomSpanAttribute|addCustomSpanAttributes)$/, receivers: /^newrelic$/ },
  { kind: 'third-party', label: 'analytics (Segment)', recipient: 'segment', modules: /^@segment\/analytics-(node|next)$|^analytics-node$/, members: /^(track|identify|page|group|screen)$/ },
  { kind: 'third-party', label: 'analytics (Mixpanel)', recipient: 'mixpanel', modules: /^mixpanel(-browser)?$/, members: /^(track|set|set_once|register|identify|track_batch)$/ },
  { kind: 'third-party', label: 'analytics (Amplitude)', recipient: 'amplitude', modules: /^@amplitude\//, members: /^(track|logEvent|identify|setUserProperties|setUserId)$/ },
  { kind: 'third-party', label: 'analytics (PostHog)', recipient: 'posthog', modules: /^posthog-(node|js)$/, members: /^(capture|identify|setPersonProperties|groupIdentify|register)$/, receivers: /^posthog$/ },
  { kind: 'third-party', label: 'analytics (Google Analytics)', recipient: 'google-analytics', modules: /^(lib|global|react-ga4|react-ga|@next\/third-parties\/google)$/, members: /^(gtag|event|send|sendGAEvent)$/, receivers: /^(gtag|ReactGA|ga)$/ },
  { kind: 'third-party', label: 'analytics (Google Analytics for Firebase)', recipient: 'google-analytics', modules: /^(@react-native-firebase\/analytics|firebase\/analytics|@firebase\/analytics)$/, members: /^(logEvent|setUserProperties|setUserProperty|logScreenView|logSelectContent)$/ },
  { kind: 'third-party', label: 'AI API (OpenAI)', recipient: 'openai', modules: /^openai$/, members: /^(create|stream|parse)$/ },
  { kind: 'third-party', label: 'AI API (Anthropic)', recipient: 'anthropic', modules: /^@anthropic-ai\/sdk$/, members: /^(create|stream|countTokens)$/ },
  { kind: 'third-party', label: 'AI API (Google AI)', recipient: 'google-ai', modules: /^(@google\/generative-ai|@google\/genai|@google-cloud\/vertexai)$/, members: /^(generateContent|generateContentStream|sendMessage|sendMessageStream|embedContent|countTokens)$/ },
  { kind: 'third-party', label: 'AI API (Vercel AI SDK)', recipient: 'ai-sdk', modules: /^ai$/, members: /^(generateText|streamText|generateObject|streamObject)$/ },
  // Logs.
  { kind: 'log', label: 'console', modules: /^(lib|global|console|node:console)$/, members: LOG_METHODS, containers: /^(Console)$/, receivers: /^console$/ },
  { kind: 'log', label: 'logger (winston)', modules: /^winston$/, members: LOG_METHODS, receivers: /^winston$/ },
  { kind: 'log', label: 'logger (pino)', modules: /^(pino|pino-http|nestjs-pino|fastify)$/, members: LOG_METHODS, containers: /^(Logger|BaseLogger|LogFn|FastifyBaseLogger|PinoLogger)$/ },
  { kind: 'log', label: 'logger (debug)', modules: /^debug$/, members: /./, containers: /^(Debugger|Debug|debug)$/, receivers: /^debug$/ },
  { kind: 'log', label: 'logger (bunyan)', modules: /^bunyan$/, members: LOG_METHODS },
  { kind: 'log', label: 'logger (log4js)', modules: /^log4js$/, members: LOG_METHODS },
  { kind: 'log', label: 'logger (loglevel)', modules: /^(loglevel|consola|signale|npmlog|roarr|tslog)$/, members: LOG_METHODS },
  { kind: 'log', label: 'logger (NestJS)', modules: /^@nestjs\/common$/, members: LOG_METHODS, containers: /^(Logger|LoggerService|ConsoleLogger)$/ },
  { kind: 'log', label: 'logger (Datadog)', modules: /^@datadog\/browser-logs$/, members: LOG_METHODS },
  // Browser storage.
  { kind: 'browser', label: 'localStorage', modules: /^(lib|global)$/, members: /^setItem$/, containers: /^Storage$/, receivers: /^(localStorage|sessionStorage|storage)$/, dataArgs: [1] },
  { kind: 'browser', label: 'IndexedDB', modules: /^(lib|global)$/, members: /^(put|add)$/, containers: /^IDBObjectStore$/ },
  { kind: 'browser', label: 'IndexedDB (idb)', modules: /^idb$/, members: /^(put|add)$/ },
  { kind: 'browser', label: 'IndexedDB (idb-keyval)', modules: /^idb-keyval$/, members: /^(set|setMany|update)$/ },
  { kind: 'browser', label: 'device storage (AsyncStorage)', modules: /^(@react-native-async-storage\/async-storage|@react-native-community\/async-storage)$/, members: /^(setItem|multiSet|mergeItem|multiMerge)$/, receivers: /^AsyncStorage$/ },
  { kind: 'browser', label: 'device storage (MMKV)', modules: /^react-native-mmkv$/, members: /^set$/ },
  { kind: 'browser', label: 'URL (app link)', modules: /^(react-native|expo-linking)$/, members: /^openURL$/ },
  { kind: 'browser', label: 'browser storage (localforage)', modules: /^localforage$/, members: /^setItem$/, receivers: /^localforage$/ },
  { kind: 'browser', label: 'cookie (js-cookie)', modules: /^(js-cookie|universal-cookie|react-cookie|cookies-next|nookies)$/, members: /^(set|setCookie)$/, receivers: /^(Cookies|cookies)$/ },
  { kind: 'browser', label: 'cookie set on the response', modules: HTTP_SERVER, members: /^cookie$/, containers: /^(Response|FastifyReply)$/, receivers: /^(res|response|reply)$/, dataArgs: [1] },
  { kind: 'browser', label: 'cookie set on the response (Next.js)', modules: /^(next\/headers|next\/server|next)$/, members: /^set$/, containers: /Cookies$/, dataArgs: [1] },
  { kind: 'browser', label: 'cookie set on the response (koa)', modules: /^(koa|cookies)$/, members: /^set$/, containers: /^Cookies$/, dataArgs: [1] },
  { kind: 'browser', label: 'URL (browser navigation)', modules: /^(lib|global)$/, members: /^(pushState|replaceState)$/, containers: /^History$/, receivers: /^history$/, dataArgs: [0, 2] },
  { kind: 'browser', label: 'URL (browser navigation)', modules: /^(lib|global)$/, members: /^(assign|replace)$/, containers: /^Location$/, receivers: /^location$/ },
  { kind: 'browser', label: 'URL (browser navigation)', modules: /^(lib|global)$/, members: /^open$/, containers: /^Window$/, receivers: /^window$/, dataArgs: [0] },
  { kind: 'browser', label: 'URL (router navigation)', modules: /^(next\/navigation|next\/router|vue-router|react-router|react-router-dom|@tanstack\/react-router|@angular\/router)$/, members: /^(push|replace|navigate|navigateByUrl|prefetch)$/ },
  { kind: 'browser', label: 'URL (router navigation)', modules: /^(react-router|react-router-dom)$/, members: /^(navigate|NavigateFunction|redirect)$/ },
];

/** Member calls recognised on the receiver name alone (types missing, no import to follow). */
export const NAME_ONLY_LOG_RECEIVERS = /^(logger|log|_logger|appLogger|auditLogger|console|winston|pino|bunyan)$/;

/** Known third-party API hosts: a request there is a disclosure to that recipient. */
export const THIRD_PARTY_HOSTS: { host: RegExp; recipient: string }[] = [
  { host: /(^|\.)api\.openai\.com$/, recipient: 'openai' },
  { host: /(^|\.)api\.anthropic\.com$/, recipient: 'anthropic' },
  { host: /(^|\.)generativelanguage\.googleapis\.com$|aiplatform\.googleapis\.com$/, recipient: 'google-ai' },
  { host: /(^|\.)api\.segment\.io$/, recipient: 'segment' },
  { host: /(^|\.)api(-eu)?\.mixpanel\.com$/, recipient: 'mixpanel' },
  { host: /(^|\.)api2?\.amplitude\.com$|api\.eu\.amplitude\.com$/, recipient: 'amplitude' },
  { host: /(^|\.)(app|us|eu)(\.i)?\.posthog\.com$/, recipient: 'posthog' },
  { host: /(^|\.)sentry\.io$/, recipient: 'sentry' },
  { host: /(^|\.)datadoghq\.(com|eu)$/, recipient: 'datadog' },
  { host: /(^|\.)newrelic\.com$|nr-data\.net$/, recipient: 'newrelic' },
  { host: /(^|\.)google-analytics\.com$|googletagmanager\.com$/, recipient: 'google-analytics' },
  { host: /(^|\.)api\.sendgrid\.com$/, recipient: 'sendgrid' },
  { host: /(^|\.)api\.twilio\.com$/, recipient: 'twilio' },
  { host: /(^|\.)hooks\.slack\.com$|slack\.com$/, recipient: 'slack' },
];

/** Pseudonymisers: after these the data is still personal data (Recital 26). */
export interface StepEntry {
  modules: RegExp;
  members: RegExp;
  label: string;
}

export const PSEUDONYMISERS: StepEntry[] = [
  { modules: /^(node:)?crypto$/, members: /^(createHash|createHmac|createCipheriv|createCipher|publicEncrypt|privateEncrypt|hash|pbkdf2|pbkdf2Sync|scrypt|scryptSync)$/, label: 'hashed or encrypted with node:crypto' },
  { modules: /^(lib|global|crypto|node:crypto)$/, members: /^(digest|encrypt|sign|deriveKey|deriveBits)$/, label: 'hashed or encrypted with Web Crypto (subtle)' },
  { modules: /^(bcrypt|bcryptjs)$/, members: /^(hash|hashSync)$/, label: 'hashed with bcrypt' },
  { modules: /^argon2$/, members: /^hash$/, label: 'hashed with argon2' },
  { modules: /^uuid$/, members: /^(v5|v3)$/, label: 'mapped to a stable UUID (uuid v5/v3)' },
  { modules: /^(jsonwebtoken|jose)$/, members: /^(sign|encrypt)$/, label: 'signed into a JWT (readable by anyone)' },
  { modules: /^(crypto-js)$/, members: /^(SHA256|SHA1|SHA512|MD5|HmacSHA256|HmacSHA512|encrypt)$/, label: 'hashed or encrypted with crypto-js' },
  { modules: /^(object-hash|hash-sum|murmurhash|xxhash|farmhash|js-sha256|sha\.js|md5)$/, members: /./, label: 'hashed' },
];

/** Project functions whose name says they pseudonymise (`hashPatientId`, `encryptRecord`, `tokenize`). */
export const PSEUDONYMISER_NAME = /^(hash|sha\d*|hmac|encrypt|cipher|tokeni[sz]e|mask|pseudonymi[sz]e|pseudonymi[sz]ation|obfuscate|digest)|(Hash|Hmac|Encrypt|Encrypted|Tokeni[sz]e|Mask|Pseudonymi[sz]e|Pseudonym|Digest)([A-Z]|$)/;
