// A subscription answers as a stream (Server-Sent Events, or multipart). Asked for with an Accept
// header that allows no stream, Yoga answers 406 with an empty body; this says why and what to
// send instead, as a GraphQL error a client can read, before the stream is set up.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const STREAMING_TYPES = ['text/event-stream', 'multipart/mixed', '*/*'];

export const SUBSCRIPTION_NEEDS_STREAM =
  'A subscription answers as a stream of events: send it with `Accept: text/event-stream` ' +
  '(Server-Sent Events; see docs/live-updates.md).';

const acceptsStream = (accept: string | null) =>
  accept === null || STREAMING_TYPES.some((type) => accept.includes(type));

export function useSubscriptionAccept(): Plugin<{ request: Request }> {
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      if (acceptsStream(args.contextValue.request.headers.get('accept'))) return;
      setResultAndStopExecution({
        errors: [
          new GraphQLError(SUBSCRIPTION_NEEDS_STREAM, {
            extensions: { code: 'BAD_REQUEST', http: { status: 406 } },
          }),
        ],
      });
    },
  };
}
