#!/usr/bin/env node
// protoc plugin that turns `(crm.platform.v1.event)` options into typed event contracts.
// Run it through buf.gen.yaml with strategy `all`: the registry and catalog cover every file at once.
//   emit=contracts  TypeScript constants, registry and barrel (next to protoc-gen-es output)
//   emit=catalog    EVENTS.md
const { createEcmaScriptPlugin, runNodeJs } = require('@bufbuild/protoplugin');
const { collectEvents } = require('./crm-events/collect-events');
const { emitContracts } = require('./crm-events/emit-contracts');
const { emitCatalog } = require('./crm-events/emit-catalog');

const EMITTERS = { contracts: emitContracts, catalog: emitCatalog };

function parseOptions(rawOptions) {
  let emit;
  for (const { key, value } of rawOptions) {
    if (key !== 'emit' || !(value in EMITTERS)) {
      throw new Error(`unknown option ${key}=${value}; expected emit=${Object.keys(EMITTERS).join('|')}`);
    }
    emit = value;
  }
  if (!emit) throw new Error(`missing option emit=${Object.keys(EMITTERS).join('|')}`);
  return { emit };
}

const plugin = createEcmaScriptPlugin({
  name: 'protoc-gen-crm-events',
  version: 'v1',
  parseOptions,
  generateTs(schema) {
    EMITTERS[schema.options.emit](schema, collectEvents(schema));
  },
});

runNodeJs(plugin);
