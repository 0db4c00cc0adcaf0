/** Test module whose import fails, as an operator whose configuration is read at import time can. */
throw new Error('STEWARD_DEMO_URL is not set\nset it to the demo endpoint before loading');
