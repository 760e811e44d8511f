// Preloaded with `node --require` into the CLI and the server (and, through NODE_OPTIONS, their worker threads):
// every way Node opens a connection or resolves a name is replaced by a function that records the attempt in
// $HDL_NO_NETWORK_LOG and throws, so a test can prove the tool never touches the network.
'use strict';
const fs = require('node:fs');
const { threadId } = require('node:worker_threads');
const log = process.env.HDL_NO_NETWORK_LOG;

function record(line) {
  if (log) fs.appendFileSync(log, `${line}\n`);
}

record(`loaded pid=${process.pid} thread=${threadId}`);

function forbid(owner, name, label) {
  if (!owner || typeof owner[name] !== 'function') return;
  owner[name] = function forbidden() {
    record(`NETWORK ${label} pid=${process.pid} thread=${threadId} ${new Error().stack.split('\n').slice(2, 6).join(' | ')}`);
    throw new Error(`network access is forbidden in this test: ${label}`);
  };
}

const net = require('node:net');
for (const name of ['connect', 'createConnection', 'createServer']) forbid(net, name, `net.${name}`);
forbid(net.Socket.prototype, 'connect', 'net.Socket#connect');
const tls = require('node:tls');
forbid(tls, 'connect', 'tls.connect');
const dns = require('node:dns');
for (const name of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveTxt', 'resolveSrv', 'reverse']) {
  forbid(dns, name, `dns.${name}`);
  forbid(dns.promises, name, `dns.promises.${name}`);
}
for (const module of ['http', 'https']) {
  const http = require(`node:${module}`);
  for (const name of ['request', 'get', 'createServer']) forbid(http, name, `${module}.${name}`);
}
const http2 = require('node:http2');
forbid(http2, 'connect', 'http2.connect');
const dgram = require('node:dgram');
forbid(dgram, 'createSocket', 'dgram.createSocket');
forbid(globalThis, 'fetch', 'fetch');
if (typeof globalThis.WebSocket === 'function') forbid(globalThis, 'WebSocket', 'WebSocket');
