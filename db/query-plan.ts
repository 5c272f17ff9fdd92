/**
 * Reads a query's `explain` output, from MongoDB (winning-plan stages) or from FerretDB v2 on DocumentDB (the
 * PostgreSQL plan), and says which indexes serve it and whether it scans the whole collection. Used by the test
 * that holds every query the service runs to an index, and by the benchmark's plan report.
 */
export interface PlanSummary {
  /** Names of the indexes the plan reads (DocumentDB's `_id_` only when it is really looked up by `_id`). */
  indexes: string[];
  /** The plan reads every document of the collection. */
  collectionScan: boolean;
  /** The plan's nodes, outermost first, for people. */
  text: string;
}

type PlanNode = Record<string, unknown>;

/** DocumentDB reads a whole collection through its `_id_` index with only the shard key as the condition. */
const WHOLE_SHARD = /^\(shard_key_value = '\d+'::bigint\)$/;

function walk(value: unknown, visit: (node: PlanNode) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
  } else if (typeof value === 'object' && value !== null) {
    visit(value as PlanNode);
    for (const child of Object.values(value)) walk(child, visit);
  }
}

export function summarizePlan(explain: unknown): PlanSummary {
  const indexes = new Set<string>();
  const nodes: string[] = [];
  let collectionScan = false;
  walk(explain, (node) => {
    // MongoDB: { stage: 'IXSCAN', indexName } / { stage: 'COLLSCAN' }, inside queryPlanner.winningPlan
    if (typeof node.stage === 'string' && /^[A-Z_]+$/.test(node.stage)) {
      nodes.push(typeof node.indexName === 'string' ? `${node.stage} (${node.indexName})` : node.stage);
      if (node.stage === 'COLLSCAN') collectionScan = true;
      if (typeof node.indexName === 'string') indexes.add(node.indexName);
    }
    // DocumentDB: PostgreSQL plan nodes { "Node Type", "Index Name", "Index Cond" }
    const type = node['Node Type'];
    if (typeof type === 'string') {
      const index = node['Index Name'];
      nodes.push(typeof index === 'string' ? `${type} (${index})` : type);
      if (type === 'Seq Scan') collectionScan = true;
      if (typeof index === 'string') {
        const cond = node['Index Cond'];
        if (index === '_id_' && typeof cond === 'string' && WHOLE_SHARD.test(cond)) collectionScan = true;
        else indexes.add(index);
      }
    }
  });
  return { indexes: [...indexes], collectionScan, text: nodes.join(' ← ') };
}

/** Served by an index: at least one index reads it, and nothing scans the collection. */
export const isIndexed = (plan: PlanSummary) => plan.indexes.length > 0 && !plan.collectionScan;
