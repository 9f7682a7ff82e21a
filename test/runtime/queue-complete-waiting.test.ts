// completeWaiting looks at the head on every pass: a completion callback that puts the next request in flight leaves that one to its driver.
import { expect, test } from "vitest";
import { RequestQueue, OK, PENDING, BUSY, ABORTED, STATUS_NAMES } from "../../runtime";

test("an open queue: completeWaiting(ABORTED) whose first callback submits again never completes the request in flight", () => {
  const done: string[] = [];
  let buffer = false;
  const q: RequestQueue = new RequestQueue(4, () => (buffer ? PENDING : BUSY), (t, s) => {
    done.push(t + ":" + STATUS_NAMES[s]);
    if (t === 1) { buffer = true; q.submit(3); } // the application submits again from the callback; a buffer is free by now
  });
  expect([q.submit(1), q.submit(2)]).toEqual([OK, OK]); // both wait (BUSY: no buffer yet)
  q.completeWaiting(ABORTED); // as the runtime's abortParked does for every queue of every device
  // 1 ABORTED; its callback's submit served 2 (PENDING: now in flight). "not the one in flight" (queue.ts): 2 must stay in flight.
  q.done(OK); // the driver finishes 2
  expect({ done, length: q.length, balance: q.submitted - (q.refused + q.completed + q.length) })
    .toEqual({ done: ["1:ABORTED", "3:ABORTED", "2:OK"], length: 0, balance: 0 });
});
