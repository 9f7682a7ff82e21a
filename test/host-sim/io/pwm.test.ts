// PWM on the simulated LEDC: Moddable's defaults, ranges, shared timers, channel map, pin ownership and close.
import { describe, expect, it } from "vitest";
import { rig, thrown } from "./fixtures";

describe("PWM", () => {
  it("defaults to 1024 Hz at 10 bits and writes 0..1023, the top value as always-high", () => {
    const { device, board } = rig();
    const pwm = new device.io.PWM({ pin: 25 });
    expect([pwm.hz, pwm.resolution, pwm.format]).toEqual([1024, 10, "number"]);
    expect(board.pinOwner(25)).toBe("PWM");
    const duty: number[] = [];
    board.ledc.setDutyListener(25, (d) => duty.push(d));
    pwm.write(512);
    pwm.write(1023);
    pwm.write(0);
    expect(duty).toEqual([0.5, 1, 0]);
    expect(board.level(25)).toBe(0);
    expect(thrown(() => pwm.write(1024))).toEqual({ type: "RangeError", message: "invalid value: PWM.write(1024) at 10 bits; use 0..1023" });
    expect(thrown(() => pwm.write(-1)).type).toBe("RangeError");
  });

  it("validates hz and resolution as _pwm.c and the LEDC clock do", () => {
    const { PWM } = rig().device.io;
    const err = (o: object): string => thrown(() => new PWM({ pin: 25, ...o })).message.split(":")[0];
    expect(err({ hz: 0 })).toBe("invalid hz");
    expect(err({ resolution: 0 })).toBe("invalid resolution");
    expect(err({ resolution: 21 })).toBe("invalid resolution");
    expect(err({ resolution: 8, hz: 64 })).toBe("invalid combination of hz and resolution"); // MIN_HZ[8 bits] = 65 on ESP32
    expect(err({ resolution: 10, hz: 100_000 })).toBe("configure ledc timer failed"); // 102.4 MHz > 80 MHz APB
    expect(err({ format: "buffer" })).toBe("invalid format");
    expect(err({ port: 8 })).toBe("invalid port");
    expect(err({ port: 0 })).toBe("port unavailable"); // Moddable leaves channels 0..3 to others
    expect(thrown(() => new PWM({ pin: 34 })).message).toMatch(/^can't configure: GPIO 34 has no output driver/);
  });

  it("shares a timer per hz/resolution pair, runs out of timers and channels, and frees both on close", () => {
    const { device, board } = rig();
    const { PWM, Digital } = device.io;
    const a = new PWM({ pin: 25, hz: 1000 });
    const b = new PWM({ pin: 26, hz: 1000 });
    expect(board.ledc.timerUse[board.ledc.pickTimer(1000, 10)]).toBe(2);
    const c = new PWM({ pin: 27, hz: 2000 });
    const d = new PWM({ pin: 32, hz: 3000 });
    expect(thrown(() => new PWM({ pin: 33, hz: 4000 })).message).toMatch(/^no ledc channel/);
    d.close();
    c.close();
    expect(board.ledc.pickTimer(2000, 10)).not.toBe(board.ledc.pickTimer(1000, 10)); // 2000 Hz's timer is free again
    const e = new PWM({ pin: 33, hz: 4000 });
    expect(e.hz).toBe(4000);
    b.close();
    b.close(); // twice is harmless
    expect(thrown(() => b.write(1))).toEqual({ type: "SyntaxError", message: expect.stringMatching(/PWM is closed; construct a new instance/) });
    // Pins are shared with the other classes: a PWM pin is not free for Digital, and back after close.
    expect(thrown(() => new Digital({ pin: 25, mode: Digital.Output })).message).toBe("in use: Digital GPIO 25 is held by PWM; close that instance first");
    expect(thrown(() => new PWM({ pin: 2 })).type).toBe("none");
    expect(thrown(() => new PWM({ pin: 4 })).type).toBe("none");
    expect(thrown(() => new PWM({ pin: 5 })).message).toMatch(/^no ledc channel/);
    a.write(1023);
    a.close();
    expect([board.pinOwner(25), board.level(25), board.ledc.dutyOf(25)]).toEqual(["nothing", 0, 0]); // ledc_stop idles low
    new Digital({ pin: 25, mode: Digital.Output }).close();
    expect(thrown(() => new PWM({ pin: 2 })).message).toBe("in use: PWM GPIO 2 is held by PWM; close that instance first");
  });
});
