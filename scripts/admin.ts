// npm run admin -- <command> [arguments]   (`npm run admin -- help` lists the commands). The compiled form, as the
// container runs it: node dist/admin/main.js <command>.
import "../src/admin/main.js";
