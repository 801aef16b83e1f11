// Entry point of the kernel module: re-exports every family; its export list is the kernel ABI (docs/kernel-abi.md).
export * from './init';
export * from './filter/cmp';
export * from './filter/cmp-col';
export * from './filter/between';
export * from './filter/mask';
export * from './gather/gather';
export * from './gather/bitmap';
export * from './arith/arith';
export * from './arith/decimal';
export * from './cast/cast';
export * from './hash/hash';
export * from './hash/keys';
export * from './agg/group';
export * from './agg/aggregate';
export * from './join/join';
export * from './sort/sort';
export * from './sort/topn';
