/** Process entry of `qapi-gen` (bin/qapi-gen starts Node on this file). */
import { main } from './cli';

main(process.argv.slice(2));
