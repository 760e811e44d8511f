// HTTP entry point: error tracking, JSON body parsing and the API routers.
import express from 'express';
import * as Sentry from '@sentry/node';
import { logger } from './lib';
import { patientsRouter } from './routes/patients';
import { observationsRouter } from './routes/observations';
import { statisticsRouter } from './routes/statistics';

Sentry.init({ dsn: process.env.SENTRY_DSN, environment: process.env.NODE_ENV, sendDefaultPii: false });

const app = express();
app.use(express.json({ limit: '1mb' }));
app.use('/api', patientsRouter);
app.use('/api', observationsRouter);
app.use('/api', statisticsRouter);

// Liveness probe of the orchestrator: "health" here is the service's, not a patient's.
app.get('/health', (_req, res) => {
  res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => logger.info(`clinic-api listening on port ${port}`));
