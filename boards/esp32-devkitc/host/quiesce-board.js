// The board this folder stands for, under the module name a multi-board main imports ("quiesce-board"): its definition and driver table.
export { ESP32_DEVKITC as definition, DEVKITC_DRIVERS as drivers } from "boards/esp32-devkitc/board";
