/** Current time in whole seconds since the Unix epoch. Injectable so tests can move time. */
export type Clock = () => number;

export const systemClock: Clock = () => Math.floor(Date.now() / 1000);
