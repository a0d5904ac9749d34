'use client';
import { useEffect, useState } from 'react';
import type { LaidOutGraph } from '@/modules/graph/lib/types';
import { analyzeInWorker } from '@/modules/graph/lib/worker-client';

/** The flow's topology, laid out in the analysis worker the editor uses (no schema validation). */
export function useTopology(source: string | undefined) {
  const [graph, setGraph] = useState<LaidOutGraph | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    if (!source) return;
    let current = true;
    setGraph(null);
    setError(null);
    analyzeInWorker({ source, validate: false }).then(
      (r) => current && setGraph(r.graph),
      (e: Error) => current && setError(e),
    );
    return () => {
      current = false;
    };
  }, [source]);
  return { graph, error };
}
