// Application logger: JSON lines on stdout, shipped to the log platform by the container runtime.
import winston from 'winston';

export const logger = winston.createLogger({
  level: process.env.LOG_LEVEL ?? 'info',
  format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
  defaultMeta: { service: 'clinic-api' },
  transports: [new winston.transports.Console()],
});

/** A structured event for the activity dashboards: a message and a flat context object. */
export function logEvent(message: string, context: Record<string, unknown>): void {
  // expect: log-exposure
  logger.info(message, context);
}
