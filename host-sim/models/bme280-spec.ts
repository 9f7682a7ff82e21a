// Bosch BME280 datasheet numbers and formulas: register map, currents, start-up time, a cycle's phase times and charge, result encoding.

// Registers (datasheet BST-BME280-DS002 section 5.3, Table 18: memory map).
export const BME280_ID = 0xd0;
export const BME280_RESET = 0xe0;
export const BME280_CTRL_HUM = 0xf2;
export const BME280_STATUS = 0xf3;
export const BME280_CTRL_MEAS = 0xf4;
export const BME280_CONFIG = 0xf5;
export const BME280_DATA = 0xf7;
export const BME280_DATA_END = 0xfe;

// Datasheet section 1 / Table 1 (typical): I_DDSL, I_DDSB, I_DDT, I_DDP, I_DDH in uA.
export const BME280_SLEEP_UA = 0.1;
export const BME280_STANDBY_UA = 0.2;
export const BME280_TEMP_UA = 350;
export const BME280_PRESS_UA = 714;
export const BME280_HUM_UA = 340;
/**
 * Section 9.5: charge per measurement = 205 uA*ms (fixed) + I_DDT*2T + I_DDP*(2P + 0.5) +
 * I_DDH*(2H + 0.5), 3.540 uC at x1/x1/x1. The fixed part is not I_DDT over the 1 ms start-up.
 */
export const BME280_FIXED_UA_MS = 205;
/** Table 1, t_startup: time to first communication after power-on (and after the 0xB6 soft reset). */
export const BME280_STARTUP_US = 2000;

/** osrs_x code (0..7) -> oversampling factor; 0 = skipped (datasheet Tables 20, 23, 24). */
export const OVERSAMPLING = new Uint8Array([0, 1, 2, 4, 8, 16, 16, 16]);
/** config t_sb[2:0] -> standby in us (datasheet Table 27; BME280 codes 110/111 are 10 ms / 20 ms). */
export const STANDBY_US = new Float64Array([500, 62500, 125000, 250000, 500000, 1000000, 10000, 20000]);

// Phases of the measurement cycle (datasheet Figure 6: T, then P, then H).
export const PH_IDLE = 0;
export const PH_T = 1;
export const PH_P = 2;
export const PH_H = 3;
export const PH_STANDBY = 4;

/**
 * Section 9.1 phase times (us) of a cycle at these settings into out[PH_T..PH_H], t_standby into
 * out[PH_STANDBY]; "typ" or "max" timing. `osrsH` is the humidity code latched at the last ctrl_meas write.
 */
export function planCycle(meas: number, osrsH: number, config: number, typical: boolean, out: Float64Array): void {
  const t = OVERSAMPLING[(meas >> 5) & 7];
  const p = OVERSAMPLING[(meas >> 2) & 7];
  const h = OVERSAMPLING[osrsH];
  // Section 9.1; the fixed start-up overhead is charged to the temperature phase (it comes first).
  if (typical) {
    out[PH_T] = 1000 + 2000 * t;
    out[PH_P] = p === 0 ? 0 : 2000 * p + 500;
    out[PH_H] = h === 0 ? 0 : 2000 * h + 500;
  } else {
    out[PH_T] = 1250 + 2300 * t;
    out[PH_P] = p === 0 ? 0 : 2300 * p + 575;
    out[PH_H] = h === 0 ? 0 : 2300 * h + 575;
  }
  out[PH_STANDBY] = STANDBY_US[(config >> 5) & 7];
}

/** The section 9.5 charge of each phase of the planned cycle, in uA*ms, over its duration `us` in ms: the phase currents into `ua`. */
export function planCharge(meas: number, osrsH: number, us: Float64Array, ua: Float64Array): void {
  const t = OVERSAMPLING[(meas >> 5) & 7];
  const p = OVERSAMPLING[(meas >> 2) & 7];
  const h = OVERSAMPLING[osrsH];
  ua[PH_T] = ((BME280_FIXED_UA_MS + BME280_TEMP_UA * 2 * t) * 1000) / us[PH_T];
  ua[PH_P] = p === 0 ? 0 : (BME280_PRESS_UA * (2 * p + 0.5) * 1000) / us[PH_P];
  ua[PH_H] = h === 0 ? 0 : (BME280_HUM_UA * (2 * h + 0.5) * 1000) / us[PH_H];
}

/** A finished measurement of the raw words (adc_T, adc_P, adc_H) into data registers 0xF7..0xFE (Table 18), at the settings in `regs`. */
export function writeResult(regs: Uint8Array, raw: Int32Array, osrsH: number): void {
  const meas = regs[BME280_CTRL_MEAS];
  const filterOn = ((regs[BME280_CONFIG] >> 2) & 7) !== 0;
  putWord20(regs, 0xfa, raw[0], (meas >> 5) & 7, filterOn);
  putWord20(regs, BME280_DATA, raw[1], (meas >> 2) & 7, filterOn);
  if (osrsH === 0) {
    regs[0xfd] = 0x80;
    regs[0xfe] = 0x00;
  } else {
    regs[0xfd] = (raw[2] >> 8) & 0xff;
    regs[0xfe] = raw[2] & 0xff;
  }
}

/** Section 3.4.2/3.4.3: 16 + (osrs - 1) bits without the IIR filter, 20 bits with it; skipped = 0x80000. */
function putWord20(regs: Uint8Array, addr: number, value: number, osrs: number, filterOn: boolean): void {
  let v = 0x80000;
  if (osrs !== 0) {
    const bits = filterOn ? 20 : Math.min(20, 16 + osrs - 1);
    v = value & (0xfffff ^ ((1 << (20 - bits)) - 1));
  }
  regs[addr] = (v >> 12) & 0xff;
  regs[addr + 1] = (v >> 4) & 0xff;
  regs[addr + 2] = (v << 4) & 0xf0;
}
