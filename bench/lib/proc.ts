// Memory of a process from /proc (Linux): resident set now (VmRSS) and its peak (VmHWM).

export type Memory = { rssMb: number; hwmMb: number };

export async function memoryOf(pid: number): Promise<Memory | null> {
  const fs = await import('node:fs/promises');
  try {
    const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Peak RSS of this process in MiB (includes PGlite when it runs in-process). */
export const ownPeakRssMb = () => process.resourceUsage().maxRSS / 1024;
