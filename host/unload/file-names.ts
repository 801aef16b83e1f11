// Names of UNLOAD's output files, as Redshift names them (Redshift "UNLOAD", TO 's3://object-path/name-prefix'):
// PARALLEL ON writes `<prefix><slice, 4 digits>_part_<part, 2 digits>`, PARALLEL OFF `<prefix><part, 3 digits>`;
// then `.parquet` for PARQUET, `.gz` / `.bz2` / `.zst` for compression, or the EXTENSION given instead;
// the manifest is `<prefix>manifest`.
import type { UnloadOptions } from '../front/copy-unload.js';

const COMPRESSION_SUFFIX = { GZIP: '.gz', BZIP2: '.bz2', ZSTD: '.zst' } as const;

/** The suffix every data file gets: EXTENSION when given, else the format's and the compression's. */
export function fileSuffix(o: UnloadOptions): string {
  if (o.extension !== undefined && o.extension !== '') return '.' + o.extension.replace(/^\./, '');
  if (o.format === 'PARQUET') return '.parquet';
  return o.compression ? COMPRESSION_SUFFIX[o.compression] : '';
}

/** The name (appended to the prefix) of part `part` of slice `slice`, or of the serial stream when `slice` is null. */
export function dataFileName(slice: number | null, part: number, suffix: string): string {
  if (slice === null) return String(part).padStart(3, '0') + suffix;
  return `${String(slice).padStart(4, '0')}_part_${String(part).padStart(2, '0')}${suffix}`;
}

export const MANIFEST_NAME = 'manifest';
