// BME280 trimming parameters and the datasheet's 32-bit integer compensation (BST-BME280-DS002 section 4.2.3, 8.2).

// Trim slots in the Int32Array a driver keeps (parsed once from NVM).
export const T1 = 0;
export const T2 = 1;
export const T3 = 2;
export const P1 = 3;
export const P2 = 4;
export const P3 = 5;
export const P4 = 6;
export const P5 = 7;
export const P6 = 8;
export const P7 = 9;
export const P8 = 10;
export const P9 = 11;
export const H1 = 12;
export const H2 = 13;
export const H3 = 14;
export const H4 = 15;
export const H5 = 16;
export const H6 = 17;
export const TRIM_COUNT = 18;

function u16(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8);
}

function s16(b: Uint8Array, i: number): number {
  return (u16(b, i) << 16) >> 16;
}

function s8(v: number): number {
  return (v << 24) >> 24;
}

/**
 * Table 16: `a` is 0x88..0xA1 (26 bytes), `b` is 0xE1..0xE7 (7 bytes). dig_H4 is 0xE4[7:0]:0xE5[3:0]
 * and dig_H5 is 0xE6[7:0]:0xE5[7:4], both signed 12-bit (the MSB byte is signed, as in Bosch's API).
 */
export function parseTrim(a: Uint8Array, b: Uint8Array, trim: Int32Array): void {
  trim[T1] = u16(a, 0);
  trim[T2] = s16(a, 2);
  trim[T3] = s16(a, 4);
  trim[P1] = u16(a, 6);
  for (let k = 1; k < 9; k++) trim[P1 + k] = s16(a, 6 + 2 * k);
  trim[H1] = a[25];
  trim[H2] = s16(b, 0);
  trim[H3] = b[2];
  trim[H4] = (s8(b[3]) * 16) | (b[4] & 0x0f);
  trim[H5] = (s8(b[5]) * 16) | (b[4] >> 4);
  trim[H6] = s8(b[6]);
}

/**
 * Section 4.2.3 BME280_compensate_T_int32, P_int32 (the 32-bit variant of 8.2: no 64-bit integers, so
 * no BigInt and no allocation) and H_int32. Math.imul keeps C's 32-bit products; `>>>` marks the
 * datasheet's unsigned casts. Writes out[0] = T in 0.01 degC, out[1] = P in Pa, out[2] = H in %RH
 * Q22.10 (1/1024 %); returns t_fine.
 */
export function compensate(trim: Int32Array, adcT: number, adcP: number, adcH: number, out: Int32Array): number {
  let var1 = (Math.imul((adcT >> 3) - (trim[T1] << 1), trim[T2])) >> 11;
  const d = (adcT >> 4) - trim[T1];
  let var2 = (Math.imul(Math.imul(d, d) >> 12, trim[T3])) >> 14;
  const tFine = (var1 + var2) | 0;
  out[0] = (Math.imul(tFine, 5) + 128) >> 8;

  var1 = (tFine >> 1) - 64000;
  var2 = Math.imul((Math.imul(var1 >> 2, var1 >> 2)) >> 11, trim[P6]);
  var2 = (var2 + (Math.imul(var1, trim[P5]) << 1)) | 0;
  var2 = ((var2 >> 2) + (trim[P4] << 16)) | 0;
  var1 = (((Math.imul(trim[P3], Math.imul(var1 >> 2, var1 >> 2) >> 13)) >> 3) + (Math.imul(trim[P2], var1) >> 1)) >> 18;
  var1 = Math.imul(32768 + var1, trim[P1]) >> 15;
  if (var1 === 0) {
    out[1] = 0; // avoid division by zero (datasheet)
  } else {
    let p = Math.imul((1048576 - adcP) - (var2 >> 12), 3125) >>> 0;
    const v1 = var1 >>> 0;
    if (p < 0x80000000) p = Math.floor(((p << 1) >>> 0) / v1);
    else p = Math.floor(p / v1) * 2;
    const q = p >>> 3;
    var1 = Math.imul(trim[P9], (Math.imul(q, q) >>> 0) >>> 13) >> 12;
    var2 = Math.imul(p >>> 2, trim[P8]) >> 13;
    out[1] = ((p | 0) + ((var1 + var2 + trim[P7]) >> 4)) >>> 0;
  }

  let h = tFine - 76800;
  const left = ((((adcH << 14) - (trim[H4] << 20) - Math.imul(trim[H5], h)) + 16384) >> 15);
  const inner = (Math.imul(Math.imul(h, trim[H6]) >> 10, (Math.imul(h, trim[H3]) >> 11) + 32768) >> 10) + 2097152;
  const right = (Math.imul(inner, trim[H2]) + 8192) >> 14;
  h = Math.imul(left, right);
  h = h - ((Math.imul(Math.imul(h >> 15, h >> 15) >> 7, trim[H1])) >> 4);
  if (h < 0) h = 0;
  if (h > 419430400) h = 419430400;
  out[2] = h >> 12;
  return tFine;
}
