// Public surface of the timeline tools: collect from a live PowerManager or a console dump, write Perfetto JSON or HTML.
export { attachViz, attachVizToBoard, modelFromRing, flightRows, COUNTER_PARKED, COUNTER_ARENA } from "./collect";
export type { VizHandle, VizOptions, EnergySource } from "./collect";
export { TimelineBuilder, COUNTER_MASKED, COUNTER_CURRENT } from "./build";
export { decodeDump, modelFromDump, devicesFromCapture, parseStatusNames, parseDeviceTree } from "./decode-dump";
export { encodeTraceDump } from "./encode-dump";
export { toPerfetto, writePerfetto } from "./perfetto";
export { toHtml, writeHtml } from "./html";
export * from "./model";
