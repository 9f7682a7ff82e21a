// Measurement prelude evaluated inside the XS worker after the bundle: a per-command crank state machine.
// xsnap reports currentHeapCount and compute only at the end of a crank (one handleCommand call), so a
// command is measured across cranks driven by empty messages:
//   arm (JSON)  -> sets fn/arg; its parsing garbage is swept by the next crank's gc()
//   step GC_BEFORE -> gc(), then plant a canary       => heap H0
//   step RUN       -> result = fn(arg) (+ promise jobs) => heap H1, compute of this crank
//   step GC_AFTER  -> check canary, gc()               => heap H2
//   result (JSON)  -> reply {result, threw, error, resultType, collectedDuring}
// Every RUN crank takes the same path apart from fn itself, so subtracting a no-op command's crank gives
// the command's own cost. The canary is a garbage object registered with a FinalizationRegistry: if its
// callback ran before GC_AFTER, a collection ran during RUN and swept slots, so H1 - H0 would undercount.
// (A WeakRef cannot serve: xsnap marks WeakRef targets strongly in organic collections, for determinism.)
(function (g) {
  "use strict";
  var table = g.__quiesceCommands;
  var encoder = new TextEncoder();
  var decoder = new TextDecoder();
  var NOOP = "__noop";
  function noop(n) {
    return n;
  }
  var IDLE = 0;
  var GC_BEFORE = 1;
  var RUN = 2;
  var GC_AFTER = 3;
  var state = IDLE;
  var fn = noop;
  var arg = 0;
  var result = 0;
  var threw = 0;
  var thrown;
  var error = "";
  var resultType = "number";
  var collected = 0;
  var collectedDuring = 0;
  var canaries = new FinalizationRegistry(function () {
    collected = 1;
  });

  function step() {
    if (state === GC_BEFORE) {
      gc();
      collected = 0;
      canaries.register({}, 0);
      state = RUN;
      return;
    }
    if (state === RUN) {
      try {
        result = fn(arg);
      } catch (e) {
        threw = 1;
        thrown = e;
      }
      state = GC_AFTER;
      return;
    }
    if (state === GC_AFTER) {
      collectedDuring = collected;
      resultType = typeof result;
      if (resultType !== "number") result = 0;
      if (threw) {
        error = describe(thrown);
        thrown = undefined;
      }
      gc();
      state = IDLE;
      return;
    }
    throw new Error("quiesce XS prelude: empty step while idle; send {op:'arm'} first");
  }

  function describe(e) {
    try {
      if (e && typeof e === "object" && "stack" in e && e.stack) return String(e.stack);
      return String(e);
    } catch (_) {
      return "<unprintable exception>";
    }
  }

  function names() {
    var out = [];
    var bad = [];
    if (!table || typeof table !== "object") return { names: out, bad: ["<no __quiesceCommands table>"] };
    var keys = Object.keys(table);
    for (var i = 0; i < keys.length; i++) {
      if (typeof table[keys[i]] === "function") out.push(keys[i]);
      else bad.push(keys[i]);
    }
    return { names: out, bad: bad };
  }

  function control(buf) {
    var req = JSON.parse(decoder.decode(new Uint8Array(buf)));
    var reply;
    if (req.op === "list") {
      reply = names();
    } else if (req.op === "arm") {
      if (state !== IDLE) throw new Error("quiesce XS prelude: arm while a measurement is in progress");
      if (req.name === NOOP) fn = noop;
      else if (table && typeof table[req.name] === "function") fn = table[req.name];
      else throw new Error("quiesce XS prelude: no command named " + req.name);
      arg = typeof req.arg === "number" ? req.arg : 0;
      result = 0;
      threw = 0;
      thrown = undefined;
      error = "";
      resultType = "number";
      collectedDuring = 0;
      state = GC_BEFORE;
      reply = { armed: req.name };
    } else if (req.op === "result") {
      reply = {
        result: result,
        threw: threw,
        error: error,
        resultType: resultType,
        collectedDuring: collectedDuring,
      };
      error = "";
    } else {
      throw new Error("quiesce XS prelude: unknown op " + req.op);
    }
    var bytes = encoder.encode(JSON.stringify(reply));
    return bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  }

  g.handleCommand = function handleCommand(buf) {
    if (buf.byteLength === 0) {
      step();
      return undefined;
    }
    return control(buf);
  };
})(globalThis);
