// BME280 trimming parameters and the inverse of the datasheet compensation: environment in, raw ADC words out.

/** Trimming parameters (BME280 datasheet BST-BME280-DS002 section 4.2.2, Table 16). */
export interface Bme280Calibration {
  T1: number; T2: number; T3: number;
  P1: number; P2: number; P3: number; P4: number; P5: number; P6: number; P7: number; P8: number; P9: number;
  H1: number; H2: number; H3: number; H4: number; H5: number; H6: number;
}

/**
 * T and P: the worked example of the BMP280 datasheet (BST-BMP280-DS001 section 3.12, same NVM layout and
 * formulas as the BME280): adc_T 519888 -> 25.08 degC, adc_P 415148 -> 100653 Pa.
 * H: a production BME280's NVM as commonly logged by drivers (H1 75, H2 362, H3 0, H4 313, H5 50, H6 30).
 */
export const DEFAULT_CALIBRATION: Bme280Calibration = {
  T1: 27504, T2: 26435, T3: -1000,
  P1: 36477, P2: -10685, P3: 3024, P4: 2855, P5: 140, P6: -7, P7: 15500, P8: -14600, P9: 6000,
  H1: 75, H2: 362, H3: 0, H4: 313, H5: 50, H6: 30,
};

/** Writes the parameters into the register image at 0x88..0xA1 and 0xE1..0xE7 (datasheet Table 16 layout). */
export function writeCalibration(regs: Uint8Array, c: Bme280Calibration): void {
  const le16 = (addr: number, v: number): void => {
    regs[addr] = v & 0xff;
    regs[addr + 1] = (v >> 8) & 0xff;
  };
  le16(0x88, c.T1); le16(0x8a, c.T2); le16(0x8c, c.T3);
  le16(0x8e, c.P1); le16(0x90, c.P2); le16(0x92, c.P3); le16(0x94, c.P4); le16(0x96, c.P5);
  le16(0x98, c.P6); le16(0x9a, c.P7); le16(0x9c, c.P8); le16(0x9e, c.P9);
  regs[0xa1] = c.H1 & 0xff;
  le16(0xe1, c.H2);
  regs[0xe3] = c.H3 & 0xff;
  // dig_H4 is 0xE4[7:0] / 0xE5[3:0] (12 bits); dig_H5 is 0xE5[7:4] / 0xE6[7:0].
  regs[0xe4] = (c.H4 >> 4) & 0xff;
  regs[0xe5] = (c.H4 & 0x0f) | ((c.H5 & 0x0f) << 4);
  regs[0xe6] = (c.H5 >> 4) & 0xff;
  regs[0xe7] = c.H6 & 0xff;
}

// Floating-point compensation, datasheet section 8.1; used only to invert it (test/setup time).
function tFine(c: Bme280Calibration, adcT: number): number {
  const v1 = (adcT / 16384 - c.T1 / 1024) * c.T2;
  const d = adcT / 131072 - c.T1 / 8192;
  return v1 + d * d * c.T3;
}

function pressure(c: Bme280Calibration, fine: number, adcP: number): number {
  let v1 = fine / 2 - 64000;
  let v2 = (v1 * v1 * c.P6) / 32768;
  v2 = v2 + v1 * c.P5 * 2;
  v2 = v2 / 4 + c.P4 * 65536;
  v1 = ((c.P3 * v1 * v1) / 524288 + c.P2 * v1) / 524288;
  v1 = (1 + v1 / 32768) * c.P1;
  if (v1 === 0) return 0;
  let p = 1048576 - adcP;
  p = ((p - v2 / 4096) * 6250) / v1;
  return p + ((c.P9 * p * p) / 2147483648 + (p * c.P8) / 32768 + c.P7) / 16;
}

function humidity(c: Bme280Calibration, fine: number, adcH: number): number {
  let h = fine - 76800;
  h = (adcH - (c.H4 * 64 + (c.H5 / 16384) * h)) * ((c.H2 / 65536) * (1 + (c.H6 / 67108864) * h * (1 + (c.H3 / 67108864) * h)));
  h = h * (1 - (c.H1 * h) / 524288);
  return h < 0 ? 0 : h > 100 ? 100 : h;
}

/** Smallest integer in [0, max] whose f() reaches target, f monotonic in direction `dir` (+1 / -1). */
function invert(f: (x: number) => number, target: number, max: number, dir: number): number {
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((f(mid) - target) * dir < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Raw ADC words [adc_T (20 bit), adc_P (20 bit), adc_H (16 bit)] that compensate to the given environment. */
export function rawFromEnvironment(c: Bme280Calibration, tempC: number, pressurePa: number, humidityPct: number, out: Int32Array): void {
  const adcT = invert((x) => tFine(c, x) / 5120, tempC, 0xfffff, 1);
  const fine = tFine(c, adcT);
  out[0] = adcT;
  out[1] = invert((x) => pressure(c, fine, x), pressurePa, 0xfffff, -1);
  out[2] = invert((x) => humidity(c, fine, x), humidityPct, 0xffff, 1);
}
