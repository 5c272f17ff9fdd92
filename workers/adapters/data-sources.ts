import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  DATASETS,
  SettlementFeedPageSchema,
  type DataQuery,
  type Dataset,
  type FeedQuery,
  type SettlementFeedPage,
} from '../../common/partners/messages';
import type { PartnerDirectory } from '../../common/partners/directory';
import { callPartner } from './partner-call';

/** The government data sources (医保, 教育, 公安/民政) behind one interface; the default calls the data service over HTTP. */
export interface DataSources {
  query<D extends Dataset>(dataset: D, query: DataQuery): Promise<z.infer<(typeof DATASETS)[D]>[]>;
  /** The medical-insurance bureau's settlements recorded after a cursor. */
  settlementFeed(query: FeedQuery): Promise<SettlementFeedPage>;
}

export function createHttpDataSources(directory: PartnerDirectory, timeoutMs: number): DataSources {
  return {
    async query(dataset, query) {
      const { url, secrets } = directory.current().dataSources;
      const result = await callPartner(`data source ${dataset}`, {
        url: `${url}/${dataset}/query`,
        body: query,
        secrets,
        deliveryId: randomUUID(),
        timeoutMs,
      });
      return z.object({ records: z.array(DATASETS[dataset]) }).parse(result.body).records;
    },
    async settlementFeed(query) {
      const { url, secrets } = directory.current().dataSources;
      const result = await callPartner('data source medical-settlements feed', {
        url: `${url}/medical-settlements/feed`,
        body: query,
        secrets,
        deliveryId: randomUUID(),
        timeoutMs,
      });
      return SettlementFeedPageSchema.parse(result.body);
    },
  };
}
