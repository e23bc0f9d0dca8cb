// `node --import` this to record every module URL resolved into $RESOLVED_MODULES_FILE.
import { register } from 'node:module';

register('./resolve-recorder.mjs', import.meta.url, {
  data: { file: process.env.RESOLVED_MODULES_FILE },
});
