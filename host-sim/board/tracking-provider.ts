// The IO provider a simulated board's firmware sees: the simulated classes, each instance remembered so a reboot can close it.
import type { IoProvider } from "../../drivers/common/io";
import type { SimDevice } from "../core/provider";

/** An IO instance as the reboot sees it: something to close. */
export type Closable = { close(): void };

/**
 * The same classes as `device.io`, but every instance is pushed onto `tracked` when made, so a deep-sleep
 * wake can close what the old firmware opened (a peripheral reset) before the new firmware boots.
 */
export function trackingProvider(device: SimDevice, tracked: Closable[]): IoProvider {
  const io = device.io;
  const wrapClass = <C extends new (o: never) => Closable>(Base: C): C => {
    const Tracked = class extends (Base as unknown as new (o: unknown) => Closable) {
      constructor(o: unknown) {
        super(o);
        tracked.push(this);
      }
    };
    return Tracked as unknown as C;
  };
  return {
    io: {
      Digital: wrapClass(io.Digital as never),
      DigitalBank: wrapClass(io.DigitalBank as never),
      PWM: wrapClass(io.PWM as never),
      I2C: wrapClass(io.I2C as never),
      SPI: wrapClass(io.SPI as never),
      Serial: wrapClass(io.Serial as never),
    },
  } as unknown as IoProvider;
}
