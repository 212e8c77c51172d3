export { seatMapSubject } from './bus.js';
export type { Bus } from './bus.js';
export { createMemoryBus } from './memory-bus.js';
export { connectNatsBus } from './nats-bus.js';
export { createPortBus, isPortBusMessage } from './port-bus.js';
export type { PortBusMessage } from './port-bus.js';
