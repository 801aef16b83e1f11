// Loads every scalar function module so the registry is complete; import this, not the parts.
import './registry.js';
import './datetime-fns.js';
import './misc-fns.js';
import './catalog-fns.js';
export { callsVolatile, lookupFunction, resolveFunction, evalLike, type FnContext } from './registry.js';
