import DataLoader from "dataloader";
import type { ResolvedPeriod } from "./profile.inputs";
import type { ProfileRepository, TopListOptions } from "./profile.repository";
import type { ProfileFigures, ProfileOwner, TopEvent, TopPage } from "./profile.types";

/** A profile figure request: whose (key) and the options that every key of one batch shares. */
export type ProfileKey<O> = O & { key: string };

/**
 * A loader whose batch splits by options (period, list size, search) and runs one statement
 * per distinct options for all the keys that asked with them. A failure fails only its group.
 */
function byOptions<O extends object, V>(run: (keys: string[], options: O) => Promise<V[]>): DataLoader<ProfileKey<O>, V, string> {
  const optionsKey = ({ key: _key, ...options }: ProfileKey<O>) => JSON.stringify(options);
  return new DataLoader<ProfileKey<O>, V, string>(
    async (requests) => {
      const groups = new Map<string, ProfileKey<O>[]>();
      for (const request of requests) {
        const k = optionsKey(request);
        groups.set(k, [...(groups.get(k) ?? []), request]);
      }
      const results = new Map<ProfileKey<O>, V | Error>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          try {
            const { key: _key, ...options } = group[0];
            const values = await run(group.map((r) => r.key), options as unknown as O);
            group.forEach((request, i) => results.set(request, values[i]));
          } catch (error) {
            for (const request of group) results.set(request, error as Error);
          }
        }),
      );
      return requests.map((request) => results.get(request)!);
    },
    // Requests are built in one shape (resolvePeriod, the resolvers), so equal options print equally.
    { cacheKeyFn: (request) => `${request.key}|${optionsKey(request)}` },
  );
}

function ownerLoaders(profiles: ProfileRepository, owner: ProfileOwner) {
  return {
    figures: byOptions<{ period: ResolvedPeriod }, ProfileFigures>((keys, { period }) => profiles.figuresByKey(owner, keys, period)),
    topEvents: byOptions<TopListOptions, TopEvent[]>((keys, options) => profiles.topEventsByKey(owner, keys, options)),
    topPages: byOptions<TopListOptions, TopPage[]>((keys, options) => profiles.topPagesByKey(owner, keys, options)),
  };
}

export function createProfileLoaders(profiles: ProfileRepository) {
  const user = ownerLoaders(profiles, "user");
  const company = ownerLoaders(profiles, "company");
  return {
    profileFiguresByUserId: user.figures,
    topEventsByUserId: user.topEvents,
    topPagesByUserId: user.topPages,
    profileFiguresByCompanyId: company.figures,
    topEventsByCompanyId: company.topEvents,
    topPagesByCompanyId: company.topPages,
    trafficUserCountByCompanyId: new DataLoader<string, number>((ids) => profiles.trafficUserCountsByCompanyId(ids)),
  };
}
export type ProfileLoaders = ReturnType<typeof createProfileLoaders>;
