import { generate, shape } from './generate.js';
import { startApi, startFloor, startPeer } from './processes.js';
import { scenarios } from './scenarios.js';
const g = await generate(shape(0.01));
const api = await startApi(g.db.url);
const floor = await startFloor(g.db.url);
const peer = await startPeer(g.db.url);
try {
  for (const s of scenarios(g)) {
    for (const [name, child, r] of [['ours', api, s.ours], ['floor', floor, s.floor], ['peer', peer, s.peer]] as const) {
      if (!r) continue;
      const times: number[] = []; let last = '';
      for (let i = 0; i < 6; i++) {
        const { cookie, body } = r.next();
        const t = performance.now();
        const res = await fetch(child.url + r.path, { method: r.method, headers: { cookie, 'content-type': 'application/json' }, body });
        last = await res.text();
        times.push(Math.round(performance.now() - t));
        if (res.status !== 200 || last.includes('"errors"')) { times.push(-res.status); break; }
      }
      console.log(s.name, name, times.join(' '), last.length, last.slice(0, 150));
    }
  }
} finally { await api.stop(); await floor.stop(); await peer.stop(); await g.db.drop(); }
