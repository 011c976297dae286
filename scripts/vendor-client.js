// Runs the vendor's own JavaScript client (oktell.js) under node against the fake server
// (okdash sim --ws), drives a ring, a talk, a hold, a hang-up, the queue and a colleague's
// state from the server's standard input, and prints what that client saw through its
// public API. Started by scripts/vendor-client.sh, which passes:
//   node vendor-client.js OKTELL_JS OKDASH_BINARY USERS_FILE
// The exit status is 0 when the client saw everything it should, 1 otherwise.
'use strict';

const fs = require('fs');
const vm = require('vm');
const { spawn } = require('child_process');
const WebSocket = require('ws');

const [oktellJs, okdash, usersFile] = process.argv.slice(2);
const failures = [];
const out = (line) => process.stdout.write(line + '\n');

// What a browser gives the client and node does not.
global.window = global;
global.WebSocket = WebSocket;
global.location = { protocol: 'http:' };
global.document = { cookie: '' };
global.localStorage = {};

// --- the fake server -------------------------------------------------------------
const sim = spawn(okdash, ['sim', '--ws', '127.0.0.1:0', '--users', usersFile], { stdio: ['pipe', 'pipe', 'pipe'] });
let simOut = '';
let simAddr = null;
const simWaiters = [];
sim.stdout.on('data', (b) => {
  simOut += b.toString();
  const m = simOut.match(/on (ws:\/\/[0-9.:]+)/);
  if (m && !simAddr) {
    simAddr = m[1];
  }
  simWaiters.splice(0).forEach((f) => f());
});
sim.stderr.on('data', () => {}); // connection logs
const simCommand = (line) => {
  out('sim> ' + line);
  sim.stdin.write(line + '\n');
};

// --- waiting on the client's events, with a deadline -----------------------------
const seen = [];
const waiters = [];
let finished = false;
const note = (name, text) => {
  if (finished) return; // the client's own timers after the disconnect
  seen.push(name);
  out('  oktell.js: ' + name + (text ? ' ' + text : ''));
  for (const w of waiters.slice()) {
    if (w.name === name && (!w.test || w.test())) {
      waiters.splice(waiters.indexOf(w), 1);
      clearTimeout(w.timer);
      w.resolve();
    }
  }
};
const waitFor = (name, what, test, ms = 8000) => new Promise((resolve) => {
  const w = { name, test, resolve };
  w.timer = setTimeout(() => {
    waiters.splice(waiters.indexOf(w), 1);
    failures.push(what + ': no ' + name + ' within ' + ms + ' ms');
    out('  MISSING: ' + what + ' (' + name + ')');
    resolve();
  }, ms);
  waiters.push(w);
});
const until = (what, test, ms = 8000) => new Promise((resolve) => {
  const start = Date.now();
  const tick = () => {
    if (test()) return resolve(true);
    if (Date.now() - start > ms) {
      failures.push(what);
      out('  MISSING: ' + what);
      return resolve(false);
    }
    setTimeout(tick, 50);
  };
  tick();
});
const expect = (what, ok) => {
  out('  check: ' + what + (ok ? ' - yes' : ' - NO'));
  if (!ok) failures.push(what);
};

const who = (abonents) => (abonents || []).map((a) => (a.phone || '') + (a.name && a.name !== a.phone ? ' "' + a.name + '"' : '')).join(', ');

async function main() {
  await new Promise((resolve) => (simAddr ? resolve() : simWaiters.push(() => simAddr && resolve())));
  out('fake server: ' + simAddr);
  vm.runInThisContext(fs.readFileSync(oktellJs, 'utf8'), { filename: oktellJs });
  const oktell = global.oktell;
  out('vendor client: oktell.js ' + oktell.version);

  oktell.on('stateChange', (n, o) => note('stateChange', o + ' -> ' + n));
  oktell.on('ringStart', (abs) => note('ringStart', who(abs)));
  oktell.on('ringStop', (abs) => note('ringStop', who(abs)));
  oktell.on('talkStart', (abs) => note('talkStart', who(abs)));
  oktell.on('talkStop', (abs) => note('talkStop', who(abs)));
  oktell.on('readyStart', () => note('readyStart'));
  oktell.on('holdStateChange', (h) => note('holdStateChange', 'hasHold=' + h.hasHold + (h.abonent ? ' ' + who([h.abonent]) : '')));
  oktell.on('queueAbonentEnter', (a) => note('queueAbonentEnter', who([a])));
  oktell.on('queueAbonentLeave', (a) => note('queueAbonentLeave', who([a])));
  oktell.on('userStateChange', (s, st) => note('userStateChange', s + ' / ' + st));
  let lastTimer = 0;
  oktell.on('talkTimer', (sec) => { lastTimer = sec || 0; });

  const connected = waitFor('connect', 'connect and log in');
  oktell.on('connect', () => note('connect'));
  oktell.on('connectError', (e) => note('connectError', JSON.stringify(e)));
  oktell.connect({ url: [simAddr], login: 'demo', password: 'demo' });
  await connected;
  out('  phone state: ' + oktell.getState() + ', user state: ' + oktell.getUserState());

  out('-- colleagues (oktell.getUsers, with their numbers):');
  const users = oktell.getUsers();
  for (const id of Object.keys(users).sort((a, b) => users[a].name.localeCompare(users[b].name))) {
    const u = users[id];
    const n = u.numberObj || {};
    out('  ' + u.name + ' number=' + (u.number || '-') + ' department=' + (n.department || '-') + ' state=' + (n.state === undefined ? '-' : n.state));
  }
  const ivanova = Object.values(users).find((u) => u.name.startsWith('Иванова'));
  simCommand('state ivanova ready');
  await until('ivanova becomes ready (pbxnumberstatechanged)', () => ivanova && ivanova.numberObj && ivanova.numberObj.state == 1);
  out('  Иванова state=' + (ivanova && ivanova.numberObj && ivanova.numberObj.state));

  const ring = waitFor('ringStart', 'the call rings');
  simCommand('ring demo +74951234567 Иванов Иван | Заказ 42');
  await ring;
  expect('ringing with the number and name', oktell.getState() === 'ring' && who(oktell.getAbonents()) === '+74951234567 "Иванов Иван"');

  const talk = waitFor('talkStart', 'the talk starts');
  simCommand('answer demo');
  await talk;
  await until('the talk timer runs', () => lastTimer >= 2, 6000);
  expect('talking, timer at ' + lastTimer + ' s', oktell.getState() === 'talk' && lastTimer >= 2);

  const hold = waitFor('holdStateChange', 'the call goes on hold', () => oktell.getHoldInfo().hasHold);
  simCommand('hold demo');
  await hold;
  const back = waitFor('holdStateChange', 'the call comes back', () => !oktell.getHoldInfo().hasHold);
  simCommand('hold demo');
  await back;

  const stop = waitFor('readyStart', 'the line is free again');
  simCommand('hangup demo');
  await stop;
  expect('ready after the hang-up', oktell.getState() === 'ready' && oktell.getAbonents().length === 0);

  const enter = waitFor('queueAbonentEnter', 'a caller joins the queue (5 s poll)', null, 12000);
  simCommand('queue add +79161112233 Кузьмина Анна');
  await enter;
  const leave = waitFor('queueAbonentLeave', 'the caller leaves the queue', null, 12000);
  simCommand('queue clear');
  await leave;

  oktell.disconnect();
}

main().catch((e) => {
  failures.push(String(e && e.stack || e));
}).finally(() => {
  finished = true;
  sim.stdin.end();
  sim.kill('SIGTERM');
  out(failures.length ? 'FAILED: ' + failures.join('; ') : 'OK: the vendor client followed the fake server');
  setTimeout(() => process.exit(failures.length ? 1 : 0), 100);
});
