// The bilingual (English / French) health vocabulary: terms, their categories, their strength and the senses that veto them.
import type { ExtraTerm } from '../config';
import type { HealthCategory } from '../model';
import { tokenize } from './tokens';

/**
 * `strong`: health data wherever it appears, unless a veto names another sense.
 * `weak`: an everyday or software word too (`condition`, `notes`, `weight`): counts only in a clinical context.
 */
export type TermStrength = 'strong' | 'weak';

export interface VocabularyTerm {
  /** Spellings, words separated by spaces as a person writes them; the first is shown in messages. */
  forms: readonly string[];
  categories: readonly HealthCategory[];
  strength: TermStrength;
  /** The forms are word beginnings: "suicid" matches "suicidal", "suicidaire", "suicideRisk". */
  prefix?: boolean;
  /** Counts only when the rest of the name is filler: `selectedPatient` is a patient, `patientName` is not. */
  headOnly?: boolean;
  /**
   * Whether the term names a whole record (`conditions`, `prescriptions`): strong terms do unless `false`;
   * a weak term does only when this is set.
   */
  record?: boolean;
  /** Other tokens of the same name that give the word a non-health sense (`cold` + `start`). */
  nameVetoes?: readonly string[];
  /** Tokens of the container or path that give the word a non-health sense (`treatment` in an experiment). */
  contextVetoes?: readonly string[];
  /** Sibling field tokens that give the word a non-health sense (`treatment` next to `variant`). */
  siblingVetoes?: readonly string[];
  /** Added by configuration (`terms`): explained as a configured term. */
  fromConfig?: boolean;
}

// Software senses of clinical words, shared by several terms.
const COMPILER_TOOLING = [
  'ts', 'typescript', 'tsc', 'compiler', 'compile', 'compilation', 'lint', 'linter', 'linting', 'eslint', 'tslint',
  'stylelint', 'lsp', 'language', 'editor', 'vscode', 'monaco', 'codemirror', 'ide', 'parser', 'syntax', 'checker',
  'sarif', 'webpack', 'esbuild', 'rollup', 'vite', 'babel', 'analyzer', 'transpile', 'transpiler', 'emitter', 'tsserver',
];
/** Tooling words that are safe to read in a container or path (no "editor" or "language": clinical apps have those too). */
const COMPILER_CONTEXT = COMPILER_TOOLING.filter((word) => !['language', 'editor', 'ide', 'syntax'].includes(word));
const SYSTEM_DIAGNOSTICS = [
  'system', 'device', 'network', 'hardware', 'vehicle', 'car', 'engine', 'obd', 'battery', 'disk', 'connection',
  'connectivity', 'performance', 'perf', 'runtime', 'memory', 'cpu', 'debug', 'debugging', 'telemetry', 'devtools',
  'monitoring', 'observability', 'infra', 'sre', 'node', 'process', 'printer', 'router', 'wifi',
];
const SYSTEM_DIAGNOSTICS_CONTEXT = SYSTEM_DIAGNOSTICS.filter((word) => !['node', 'process', 'engine', 'router', 'system', 'performance', 'perf'].includes(word));
const EXPERIMENTS = [
  'experiment', 'experiments', 'experimentation', 'ab', 'abtest', 'split', 'flag', 'flags',
  'featureflag', 'variant', 'variants', 'rollout', 'launchdarkly', 'optimizely', 'growthbook', 'statsig', 'unleash',
  'bucket', 'bucketing', 'toggle', 'toggles', 'campaign',
];
const EXPERIMENT_SIBLINGS = ['variant', 'variants', 'experiment', 'rollout', 'bucket', 'flag', 'allocation', 'traffic', 'exposure'];
const CI_TESTING = [
  'ci', 'jest', 'mocha', 'vitest', 'jasmine', 'karma', 'playwright', 'cypress', 'junit', 'suite', 'suites', 'spec',
  'specs', 'testsuite', 'runner', 'pipeline', 'pipelines', 'workflow', 'build', 'builds', 'coverage', 'assertion',
  'e2e', 'unit', 'snapshot', 'github', 'gitlab', 'jenkins', 'circleci', 'run', 'runs', 'reporter', 'tap',
];
const CI_SIBLINGS = ['suite', 'spec', 'assertion', 'assertions', 'passed', 'failed', 'skipped', 'pending', 'flaky', 'stack'];
const CACHES_AND_INFRA = [
  'cache', 'caches', 'caching', 'cached', 'start', 'startup', 'boot', 'storage', 'store', 'tier', 'tiers', 'wallet',
  'backup', 'archive', 'glacier', 's3', 'aws', 'lambda', 'serverless', 'standby', 'deploy', 'infra', 'sales', 'crm',
  'marketing', 'prospect', 'prospects', 'outreach', 'weather', 'hvac', 'fridge', 'refrigeration', 'theme', 'palette',
];
const RULES_AND_CONFIG = [
  'pricing', 'price', 'prices', 'policy', 'policies', 'rule', 'rules', 'ruleset', 'lint', 'linter', 'eslint', 'config',
  'configuration', 'settings', 'style', 'styleguide', 'guideline', 'guidelines', 'governance', 'convention',
  'conventions', 'framework', 'preset', 'presets', 'plugin',
];
const QUERIES_AND_LOGIC = [
  'query', 'queries', 'sql', 'where', 'filter', 'filters', 'rule', 'rules', 'ruleset', 'engine', 'predicate', 'flag',
  'flags', 'if', 'branch', 'trigger', 'triggers', 'alert', 'alerts', 'alerting', 'workflow', 'automation',
  'policy', 'guard', 'expression', 'clause', 'matcher', 'validation', 'validator', 'toggle', 'segment', 'targeting',
  'criteria', 'constraint', 'search', 'terms', 'contract', 'agreement', 'weather', 'road', 'traffic', 'market',
  'product', 'products', 'shipping', 'vehicle', 'loan', 'offer', 'warranty', 'listing', 'item', 'items', 'sale', 'cgu', 'cgv',
];
const DATABASE_AND_RPC = [
  'stored', 'sql', 'db', 'database', 'plsql', 'pg', 'postgres', 'postgresql', 'mysql', 'oracle', 'mssql', 'tsql',
  'trpc', 'rpc', 'router', 'routers', 'query', 'mutation', 'schema', 'migration', 'migrations', 'knex', 'sequelize',
  'prisma', 'typeorm', 'routine', 'routines', 'middleware', 'server',
];
/** Database and RPC words safe to read in a container or path (no "server", "router": every API has those). */
const DATABASE_AND_RPC_CONTEXT = DATABASE_AND_RPC.filter((word) => !['server', 'router', 'routers', 'middleware', 'schema', 'query'].includes(word));
const LAYOUT_SHIPPING_ML = [
  'model', 'models', 'layer', 'layers', 'neural', 'network', 'tensor', 'training', 'optimizer', 'embedding', 'font',
  'fonts', 'typography', 'text', 'line', 'stroke', 'border', 'edge', 'edges', 'graph', 'node', 'nodes', 'class',
  'loss', 'bias', 'shipping', 'package', 'parcel', 'cargo', 'freight', 'luggage', 'baggage', 'product', 'products',
  'sku', 'box', 'row', 'rows', 'column', 'columns', 'cell', 'image', 'images', 'img', 'screen', 'window', 'viewport',
  'element', 'header', 'footer', 'canvas', 'layout', 'css', 'style', 'styles', 'ui', 'component', 'widget', 'chart',
  'grid', 'page', 'card', 'modal', 'icon', 'logo', 'banner', 'file', 'upload', 'batch', 'heap', 'tree', 'fichier',
  'ecran', 'police', 'lot', 'colis', 'produit', 'article', 'vehicle', 'truck', 'pallet', 'container', 'item', 'items',
];
const LLM_HARDWARE_WEATHER = [
  'llm', 'gpt', 'openai', 'anthropic', 'claude', 'gemini', 'mistral', 'completion', 'completions', 'chat', 'prompt',
  'sampling', 'sampler', 'model', 'models', 'generation', 'inference', 'gpu', 'cpu', 'sensor', 'sensors', 'weather',
  'forecast', 'thermostat', 'iot', 'room', 'oven', 'water', 'kelvin', 'color', 'colour', 'meteo', 'climate', 'hvac',
  'engine', 'battery', 'disk', 'hardware', 'device',
];
const ANIMATION_UI = ['animation', 'animations', 'animate', 'keyframes', 'css', 'style', 'styles', 'theme', 'ui', 'component', 'effect', 'button', 'loader', 'skeleton'];
const CODE_HISTORY = [
  'browser', 'router', 'navigation', 'nav', 'page', 'url', 'git', 'commit', 'commits', 'version', 'versions', 'revision',
  'chat', 'message', 'messages', 'search', 'command', 'commands', 'undo', 'redo', 'edit', 'edits', 'change', 'changes',
  'audit', 'login', 'purchase', 'purchases', 'order', 'orders', 'payment', 'payments', 'transaction', 'transactions',
  'price', 'job', 'jobs', 'build', 'deploy', 'deployment', 'location', 'stack', 'scroll', 'shell', 'query', 'watch',
  'listening', 'playback', 'reading', 'view', 'views', 'session', 'sessions', 'conversation', 'state', 'store',
];
/**
 * Software borrows medicine's words as metaphors: a dependency bot "prescribes" upgrades with a "dosage", an incident
 * has a "diagnosis" and "symptoms". These containers, paths and neighbours say the word is the metaphor.
 */
const SOFTWARE_METAPHOR_CONTEXT = [
  'upgrade', 'upgrades', 'dependency', 'dependencies', 'repository', 'repositories', 'repo', 'repos', 'package',
  'packages', 'npm', 'bot', 'codemod', 'codemods', 'migration', 'migrations', 'vulnerability', 'vulnerabilities',
  'vulnerable', 'security', 'incident', 'incidents', 'bug', 'bugs', 'outage', 'postmortem', 'lint', 'linter',
  'eslint', 'policy', 'policies', 'pricing', 'rule', 'rules', 'ruleset', 'ci', 'pipeline', 'devops', 'sre',
  'kubernetes', 'k8s', 'cluster', 'troubleshooting', 'troubleshoot', 'crash', 'crashes', 'helpdesk', 'tooling', 'sdk',
];
const SOFTWARE_METAPHOR_SIBLINGS = [
  'repository', 'repo', 'codemods', 'codemod', 'bumps', 'dependencies', 'packages', 'commit', 'branch', 'lint',
  'eslint', 'rule', 'rules', 'npm', 'tsconfig', 'plugins', 'advisories', 'vulnerabilities', 'cve',
  'incident', 'outage', 'stacktrace', 'stack',
];
const NON_CLINICAL_NOTES = [
  'release', 'releases', 'patch', 'version', 'changelog', 'commit', 'meeting', 'meetings', 'sticky', 'delivery',
  'shipping', 'order', 'orders', 'invoice', 'sales', 'seller', 'customer', 'crm', 'lead', 'deal', 'footnote',
  'footnotes', 'speaker', 'presentation', 'slide', 'slides', 'music', 'musical', 'todo', 'task', 'tasks', 'ticket',
  'reunion', 'commande', 'facture', 'livraison',
];
const NON_CLINICAL_RESULTS = [
  'search', 'query', 'ci', 'build', 'job', 'run', 'poll', 'vote', 'election', 'quiz', 'game', 'match', 'race',
  'sport', 'validation', 'lint', 'scan', 'audit', 'benchmark', 'api', 'fetch', 'request', 'response', 'page',
  'paging', 'pagination', 'sql', 'db', 'rows', 'mutation', 'promise', 'async', 'task', 'worker', 'batch', 'import',
  'export', 'upload', 'student', 'school', 'course', 'grade', 'exam', 'jest', 'suite', 'spec', 'recherche',
];
/** Where a bare "results" is about something else than a person (search, CI, polls, school); no "api": clinical APIs have paths too. */
const NON_CLINICAL_RESULT_CONTEXTS = [
  'search', 'query', 'ci', 'build', 'job', 'poll', 'vote', 'election', 'quiz', 'game', 'match', 'race', 'sport',
  'validation', 'lint', 'scan', 'audit', 'benchmark', 'pagination', 'sql', 'mutation', 'worker', 'batch', 'student',
  'school', 'course', 'grade', 'exam', 'recherche',
];
const SCHOOL_EXAMS = ['student', 'students', 'school', 'course', 'grade', 'grades', 'quiz', 'class', 'university', 'driving', 'eleve', 'ecole', 'bac', 'permis', 'exam', 'certification'];

const term = (
  strength: TermStrength,
  categories: HealthCategory[],
  forms: string[],
  extra: Omit<VocabularyTerm, 'forms' | 'categories' | 'strength'> = {},
): VocabularyTerm => ({ strength, categories, forms, ...extra });
const strong = (categories: HealthCategory[], forms: string[], extra?: Omit<VocabularyTerm, 'forms' | 'categories' | 'strength'>) =>
  term('strong', categories, forms, extra);
const weak = (categories: HealthCategory[], forms: string[], extra?: Omit<VocabularyTerm, 'forms' | 'categories' | 'strength'>) =>
  term('weak', categories, forms, extra);

export const BUILT_IN_TERMS: readonly VocabularyTerm[] = [
  // diagnosis
  strong(['diagnosis'], ['diagnosis', 'diagnoses', 'diagnosed', 'diagnostique', 'diagnostiques', 'diagnostic principal', 'diagnostic medical', 'diagnostic code', 'code diagnostic'], {
    nameVetoes: ['root', 'cause', 'incident', 'bug', 'error', 'crash', 'failure', 'network', 'vehicle', 'engine', 'build', 'repository', 'dependency'],
    contextVetoes: SOFTWARE_METAPHOR_CONTEXT,
    siblingVetoes: SOFTWARE_METAPHOR_SIBLINGS,
  }),
  strong(['diagnosis'], ['diagnostic'], {
    record: false,
    nameVetoes: ['severity', 'category', 'message', 'messages', 'chain', 'collection', 'reporter', 'provider', 'producer', 'range', 'related', 'channel', 'level', 'tool', 'tools', 'mode', 'log', 'logs', 'trace', 'dump', ...SYSTEM_DIAGNOSTICS, ...COMPILER_TOOLING],
    contextVetoes: [...COMPILER_CONTEXT, ...SYSTEM_DIAGNOSTICS_CONTEXT, ...SOFTWARE_METAPHOR_CONTEXT],
    siblingVetoes: ['related', 'category', ...SOFTWARE_METAPHOR_SIBLINGS],
  }),
  weak(['diagnosis'], ['diagnostics'], {
    nameVetoes: ['severity', 'category', 'message', 'messages', 'chain', 'collection', 'reporter', 'provider', 'producer', 'range', 'channel', 'level', 'tool', 'mode', ...SYSTEM_DIAGNOSTICS, ...COMPILER_TOOLING],
    contextVetoes: [...COMPILER_CONTEXT, ...SYSTEM_DIAGNOSTICS_CONTEXT],
    siblingVetoes: ['severity', 'related', 'category'],
  }),
  strong(['diagnosis'], ['icd', 'icd9', 'icd10', 'icd11', 'icd code', 'cim10', 'cim11', 'code cim', 'snomed', 'snomed ct']),
  weak(['diagnosis'], ['cim']),

  // conditions and medical history
  weak(['condition'], ['condition', 'conditions'], {
    record: true,
    nameVetoes: ['weather', 'race', 'terms', 'term', 'operator', 'expression', 'query', 'filter', 'rule', 'rules', 'trigger', 'loop', 'wait', 'stop', 'exit', 'payment', 'sale', 'sales', 'road', 'market', 'item', 'product', 'offer', 'shipping', 'vehicle', 'type', 'group', 'builder', 'evaluator', 'check', 'met', 'true', 'false', 'fn', 'func', 'callback'],
    contextVetoes: QUERIES_AND_LOGIC,
    siblingVetoes: ['operator', 'predicate', 'expression', 'rule', 'rules', 'trigger', 'action', 'actions', 'then', 'else', 'operand', 'comparator'],
  }),
  strong(['condition'], ['medical condition', 'health condition', 'health conditions', 'chronic condition', 'pre existing condition', 'preexisting condition', 'health issue', 'health issues', 'health problem', 'health problems', 'etat de sante']),
  strong(['condition'], ['disease', 'diseases', 'illness', 'illnesses', 'maladie', 'maladies', 'pathology', 'pathologies', 'pathologie', 'comorbidity', 'comorbidities', 'comorbidite', 'comorbidites', 'affection longue duree', 'chronic disease', 'maladie chronique']),
  weak(['condition'], ['ald', 'affection']),
  strong(['condition'], ['symptom', 'symptoms', 'symptome', 'symptomes'], {
    nameVetoes: ['bug', 'error', 'incident', 'outage', 'failure', 'crash', 'issue'],
    contextVetoes: SOFTWARE_METAPHOR_CONTEXT,
    siblingVetoes: SOFTWARE_METAPHOR_SIBLINGS,
  }),
  strong(['condition'], ['apnea hypopnea index', 'ahi', 'oxygen desaturation index', 'indice apnee hypopnee', 'dementia', 'demence', 'apnea', 'apnoea', 'apnee', 'sleep apnea', 'exacerbation', 'exacerbations', 'immunosuppressed', 'immunodeprime', 'immunodeficiency']),
  weak(['condition'], ['complication', 'complications'], { nameVetoes: ['build', 'project', 'legal', 'contract'] }),
  strong(['condition'], ['fever', 'fievre', 'cough', 'toux', 'douleur', 'douleurs', 'pain level', 'pain score', 'chief complaint']),
  weak(['condition'], ['pain'], { nameVetoes: ['point', 'points'] }),
  strong(['condition'], ['injury', 'injuries', 'blessure', 'blessures', 'fracture', 'fractures'], { nameVetoes: ['time', 'cost', 'claim', 'claims'] }),
  strong(['condition'], ['cancer', 'cancers', 'tumor', 'tumors', 'tumour', 'tumeur', 'tumeurs', 'asthma', 'asthme', 'hypertension', 'epilepsy', 'epilepsie', 'obesity', 'obesite', 'stroke history', 'alzheimer', 'parkinson']),
  strong(['condition'], ['covid', 'covid19', 'infection', 'infections'], {
    nameVetoes: ['banner', 'notice', 'announcement', 'alert', 'message', 'info', 'faq', 'policy', 'guidelines', 'rules', 'measures', 'mesures', 'malware', 'virus', 'bot', 'botnet', 'worm', 'host', 'machine', 'device', 'page', 'mode', 'closure', 'fermeture'],
    contextVetoes: ['antivirus', 'malware', 'security', 'securite', 'threat', 'threats', 'edr', 'siem'],
  }),
  strong(['condition'], ['diabet', 'oncolog', 'cardiopath'], { prefix: true }),
  weak(['condition'], ['cold', 'colds', 'flu', 'grippe'], {
    nameVetoes: ['start', 'starts', 'cache', 'caches', 'storage', 'store', 'boot', 'tier', 'wallet', 'backup', 'archive', 'standby', 'email', 'emails', 'call', 'calls', 'calling', 'outreach', 'lead', 'leads', 'chain', 'plunge', 'brew', 'read', 'reads', 'path', 'restart', 'data', 'room', 'water', 'weather', 'front', 'snap', 'war', 'feet', 'shoulder', 'color', 'colour', 'theme', 'tone', 'temperature', 'hot', 'warm', 'cathode', 'fusion', 'load', 'cache', 'deploy', 'instance', 'instances', 'pool'],
    contextVetoes: CACHES_AND_INFRA,
    siblingVetoes: ['hot', 'warm', 'ttl', 'evict', 'eviction', 'tier'],
  }),
  strong(['condition'], ['medical history', 'health history', 'past medical history', 'antecedent', 'antecedents', 'antecedents medicaux', 'medical background', 'clinical history', 'historique medical']),
  strong(['condition', 'genetic'], ['family history', 'family medical history', 'antecedents familiaux']),
  weak(['condition'], ['history', 'historique'], { nameVetoes: CODE_HISTORY, contextVetoes: CODE_HISTORY }),
  strong(['condition'], ['sick leave', 'sick day', 'sick days', 'sickness absence', 'medical leave', 'arret maladie', 'arret de travail', 'arrets de travail', 'conge maladie', 'arret travail']),
  weak(['condition'], ['sick', 'malade', 'malades'], { nameVetoes: ['joke', 'beat', 'beats', 'trick', 'tricks'] }),
  strong(['condition'], ['smoker', 'smoking status', 'tobacco use', 'fumeur', 'tabagisme', 'alcohol consumption', 'consommation alcool']),
  weak(['condition'], ['onset'], { nameVetoes: ['log', 'bug', 'issue', 'alert', 'incident', 'error', 'lint', 'rule', 'vulnerability', 'cve'] }),

  // medication
  strong(['medication'], ['medication', 'medications', 'medicament', 'medicaments', 'medicine', 'medicines', 'drug', 'drugs', 'posologie', 'posologies', 'insulin', 'insuline', 'opioid', 'opioids', 'atc code', 'code atc', 'atc5', 'active substance', 'principe actif', 'effet secondaire', 'effets secondaires', 'effets indesirables', 'adverse reaction', 'adverse reactions', 'adverse event', 'adverse events', 'medication history', 'current medications']),
  weak(['medication'], ['side effect', 'side effects'], {
    contextVetoes: ['package', 'webpack', 'redux', 'saga', 'sagas', 'effect', 'effects', 'react', 'hook', 'hooks', 'build', 'bundler', 'rollup', 'esbuild', 'vite', 'store', 'functional', 'fp', 'rxjs', 'ngrx'],
  }),
  strong(['medication'], ['dosage', 'dosages', 'dispensation', 'dispensations', 'drug dispensing'], {
    nameVetoes: ['upgrade', 'dependency', 'policy', 'rule', 'rules', 'lint', 'config', 'max', 'min'],
    contextVetoes: [...SOFTWARE_METAPHOR_CONTEXT, ...RULES_AND_CONFIG],
    siblingVetoes: SOFTWARE_METAPHOR_SIBLINGS,
  }),
  strong(['medication'], ['antibiot', 'antidepress', 'anxiolyt', 'antipsychot', 'anticoagul', 'corticoid', 'corticost', 'immunosuppress', 'chemotherap'], { prefix: true }),
  strong(['medication'], ['prescription', 'prescriptions', 'prescribed', 'prescrit', 'prescrits'], {
    nameVetoes: ['rule', 'rules', 'policy', 'price', 'pricing', 'lint', 'config', 'level', 'style', 'upgrade', 'dependency', 'dependencies', 'bot', 'repository', 'repo', 'package'],
    contextVetoes: [...RULES_AND_CONFIG, ...SOFTWARE_METAPHOR_CONTEXT],
    siblingVetoes: ['pricing', 'price', ...SOFTWARE_METAPHOR_SIBLINGS],
  }),
  strong(['medication'], ['ordonnance', 'ordonnances'], {
    nameVetoes: ['juridique', 'legal', 'loi', 'law', 'gouvernement', 'decret', 'tribunal', 'justice'],
    contextVetoes: ['juridique', 'legal', 'loi', 'law', 'gouvernement', 'government', 'decret', 'tribunal', 'justice', 'legifrance', 'jorf'],
  }),
  weak(['medication'], ['dose', 'doses', 'pill', 'pills', 'rx', 'pharmacy', 'pharmacie'], { nameVetoes: ['daily', 'reality', 'red', 'blue', 'button', 'badge', 'tag', 'ui', 'chip', 'status', 'js', 'store', 'locator', 'finder', 'opening', 'hours'] }),
  weak(['medication'], ['treatment', 'treatments', 'traitement', 'traitements'], {
    record: false,
    nameVetoes: ['group', 'groups', 'arm', 'bucket', 'variant', 'control', 'allocation', 'assignment', 'split', 'key', 'flag', 'cohort', 'water', 'wastewater', 'data', 'donnees', 'surface', 'image', 'signal', 'error', 'errors', 'exception', 'batch', 'fichier', 'job', 'queue', 'lot', 'file', 'request', 'demande', 'reclamation', 'complaint', 'ticket', 'payment', 'paiement', 'order', 'commande'],
    contextVetoes: [...EXPERIMENTS, ...SOFTWARE_METAPHOR_CONTEXT, 'etl', 'batch', 'job', 'queue', 'worker'],
    siblingVetoes: [...EXPERIMENT_SIBLINGS, ...SOFTWARE_METAPHOR_SIBLINGS],
  }),
  strong(['medication'], ['treatment plan', 'plan de traitement', 'medical treatment', 'traitement medical', 'traitement medicamenteux', 'current treatment', 'traitement en cours', 'traitement actuel', 'drug treatment']),

  // allergy
  strong(['allergy'], ['allergy', 'allergies', 'allergie', 'allergic', 'allergique', 'allergen', 'allergens', 'allergene', 'allergenes', 'allergy intolerance', 'food intolerance', 'intolerance', 'intolerances', 'intolerance alimentaire', 'anaphylaxis', 'anaphylaxie']),

  // lab and test results
  strong(['lab-result'], ['lab result', 'lab results', 'labresult', 'lab test', 'lab tests', 'lab value', 'lab values', 'laboratory result', 'laboratory results', 'resultat analyse', 'resultats analyse', 'resultats analyses', 'resultat d analyse', 'resultats d analyses', 'resultat biologique', 'resultats biologiques', 'resultat labo', 'resultats labo', 'bilan sanguin', 'bilans sanguins', 'bilan biologique', 'analyse de sang', 'analyses de sang', 'analyse sanguine', 'prise de sang', 'blood test', 'blood tests', 'blood work', 'bloodwork', 'blood panel', 'examen biologique', 'examens biologiques', 'urinalysis', 'analyse d urine']),
  strong(['lab-result'], ['blood type', 'blood group', 'groupe sanguin', 'groupe sanguins', 'rhesus', 'facteur rhesus', 'abo group', 'groupe abo']),
  strong(['lab-result'], ['hba1c', 'a1c', 'glucose', 'blood glucose', 'blood sugar', 'glycemie', 'glycemia', 'cholesterol', 'triglycerides', 'triglycerides', 'creatinine', 'hemoglobin', 'hemoglobine', 'haemoglobin', 'hematocrit', 'hematocrite', 'platelet', 'platelets', 'plaquettes sanguines', 'white blood cells', 'leukocytes', 'leucocytes', 'ferritin', 'ferritine', 'troponin', 'troponine', 'biomarker', 'biomarkers', 'biomarqueur', 'biomarqueurs', 'serology', 'serologie', 'serologies', 'covid test', 'test covid', 'antigen test', 'test antigenique', 'pcr test', 'test pcr', 'loinc', 'specimen', 'specimens', 'biopsy result', 'pathology report', 'ecg', 'ekg', 'electrocardiogram', 'electrocardiogramme', 'eeg']),
  weak(['lab-result'], ['ldl', 'hdl', 'tsh', 'psa', 'crp', 'inr', 'pcr', 'biology', 'biologie', 'labs', 'analyse', 'analyses', 'examen', 'examens', 'exam', 'exams'], {
    nameVetoes: [...SCHOOL_EXAMS, 'data', 'log', 'logs', 'code', 'static', 'text', 'sentiment', 'feature', 'features', 'experimental', 'traffic', 'perf', 'performance', 'market', 'risk', 'financial', 'cost', 'security', 'vulnerability'],
    contextVetoes: [...SCHOOL_EXAMS, 'analytics', 'feature', 'experimental', 'static', 'lint', 'security', 'finance', 'market'],
  }),
  weak(['lab-result'], ['result', 'results', 'resultat', 'resultats', 'test result', 'test results', 'resultat test', 'resultats tests', 'resultat examen', 'resultats examens', 'outcome', 'outcomes'], {
    nameVetoes: [...NON_CLINICAL_RESULTS, ...CI_TESTING, 'ab', 'unit', 'integration', 'e2e', 'health', 'check', 'checks'],
    contextVetoes: [...NON_CLINICAL_RESULT_CONTEXTS, ...CI_TESTING, ...EXPERIMENTS],
    siblingVetoes: CI_SIBLINGS,
  }),

  // vital signs
  strong(['vital-sign'], ['vitals', 'vital sign', 'vital signs', 'signes vitaux', 'constantes vitales', 'constantes medicales', 'heart rate', 'heartrate', 'resting heart rate', 'pulse rate', 'respiration rate', 'frequence cardiaque', 'blood pressure', 'tension arterielle', 'pression arterielle', 'systolic', 'diastolic', 'systolique', 'diastolique', 'spo2', 'sao2', 'oxygen saturation', 'saturation oxygene', 'saturation en oxygene', 'bmi', 'imc', 'body mass index', 'indice de masse corporelle', 'body temperature', 'temperature corporelle', 'respiratory rate', 'frequence respiratoire', 'nibp', 'peak flow', 'desaturation', 'body weight', 'poids corporel', 'waist circumference', 'tour de taille', 'glasgow score']),
  strong(['vital-sign'], ['pulse', 'pouls'], {
    nameVetoes: ['animation', 'animate', 'effect', 'width', 'duration', 'interval', 'color', 'button', 'dot', 'ring', 'loader', 'class', 'css', 'survey', 'check', 'api', 'audio', 'secure', 'connect'],
    contextVetoes: [...ANIMATION_UI, 'audio', 'radar', 'laser', 'signal', 'survey', 'secure'],
  }),
  weak(['vital-sign'], ['weight', 'weights', 'height', 'poids', 'taille', 'temperature', 'tension', 'saturation', 'bpm', 'constantes'], {
    nameVetoes: [...LAYOUT_SHIPPING_ML, ...LLM_HARDWARE_WEATHER, 'max', 'min', 'line', 'row', 'font', 'initial', 'fixed', 'auto', 'scroll', 'offset', 'inner', 'outer', 'client', 'natural', 'music', 'tempo', 'song', 'track', 'audio', 'color', 'fichier', 'lot', 'app', 'config', 'env', 'file', 'dir', 'folder', 'path'],
    contextVetoes: [...LAYOUT_SHIPPING_ML, ...LLM_HARDWARE_WEATHER, 'music', 'tempo', 'song', 'audio', 'app', 'config', 'env'],
  }),

  // procedures and care
  weak(['procedure'], ['procedure', 'procedures'], {
    nameVetoes: [...DATABASE_AND_RPC, 'call', 'name', 'remote', 'exec', 'public', 'protected', 'admin', 'authed', 'auth', 'private', 'base', 'input', 'output', 'subscription', 'builder', 'def', 'definition', 'type', 'types', 'handler', 'resolver'],
    contextVetoes: [...DATABASE_AND_RPC_CONTEXT, 'legal', 'juridique', 'administrative', 'ops', 'incident', 'evacuation', 'safety', 'quality', 'qualite', 'iso', 'hr'],
    siblingVetoes: ['input', 'output', 'mutation', 'query', 'resolver', 'middleware', 'meta'],
  }),
  strong(['procedure'], ['medical procedure', 'surgical procedure', 'surgery', 'surgeries', 'chirurgie', 'chirurgies', 'surgical', 'chirurgical', 'chirurgicale', 'operation chirurgicale', 'intervention chirurgicale', 'acte medical', 'actes medicaux', 'acte chirurgical', 'ccam', 'cpt code', 'radiology', 'radiologie', 'mri', 'irm', 'radiographie', 'ultrasound', 'echographie', 'mammography', 'mammographie', 'colonoscopy', 'coloscopie', 'endoscopy', 'endoscopie', 'biopsy', 'biopsie', 'transplant', 'transfusion', 'dialysis', 'dialyse', 'anesthesia', 'anesthesie']),
  strong(['procedure'], ['therapy', 'therapies', 'therapie', 'therapies', 'therapeutic', 'therapeutique', 'physiotherapy', 'kinesitherapie', 'radiotherapy', 'radiotherapie'], { nameVetoes: ['retail', 'shopping'] }),
  strong(['procedure', 'medication'], ['chemotherapy', 'chimiotherapie', 'chimio']),
  weak(['procedure'], ['intervention', 'interventions', 'operation', 'operations', 'imaging', 'imagerie', 'scan', 'scans', 'soin', 'soins', 'rehabilitation', 'reeducation', 'greffe', 'greffes', 'xray', 'x ray'], {
    nameVetoes: ['manual', 'human', 'user', 'ops', 'support', 'admin', 'technician', 'technique', 'technicien', 'maintenance', 'depannage', 'sav', 'plumber', 'id', 'type', 'name', 'mode', 'queue', 'async', 'bulk', 'batch', 'crud', 'db', 'log', 'security', 'virus', 'port', 'qr', 'barcode', 'code', 'document', 'beaute', 'beauty', 'visage', 'skin', 'cheveux', 'hair'],
    contextVetoes: ['maintenance', 'technique', 'technician', 'sav', 'ops', 'it', 'support', 'helpdesk', 'database', 'db', 'api', 'queue', 'async', 'security', 'scanner', 'barcode', 'qr', 'beaute', 'beauty', 'cosmetic', 'salon', 'spa'],
  }),

  // immunization
  strong(['immunization'], ['vaccin', 'immuniz', 'immunis'], { prefix: true }),
  weak(['immunization'], ['booster', 'boosters', 'rappel', 'rappels'], { nameVetoes: ['pack', 'packs', 'xp', 'email', 'mail', 'reminder', 'notification', 'date', 'paiement', 'payment'] }),

  // encounters
  strong(['encounter'], ['consultation', 'consultations', 'hospitalization', 'hospitalizations', 'hospitalisation', 'hospitalisations', 'hospitalized', 'hospitalise', 'admission medicale', 'readmission', 'readmissions', 'readmitted', 'hospitalised', 'length of stay', 'duree de sejour', 'medical visit', 'doctor visit', 'visite medicale', 'reason for visit', 'visit reason', 'motif consultation', 'motif de consultation', 'motif visite', 'reason for consultation', 'emergency visit', 'passage aux urgences', 'sejour hospitalier', 'discharge date', 'date de sortie hospitaliere', 'episode of care'], {
    nameVetoes: ['fee', 'fees', 'price', 'prix', 'tarif', 'tarifs', 'cost', 'slot', 'slots', 'legal', 'juridique', 'avocat', 'lawyer', 'public', 'citizen', 'citoyenne', 'marche', 'appel', 'offres', 'design', 'logo', 'pattern'],
    contextVetoes: ['legal', 'juridique', 'avocat', 'lawyer', 'public', 'citizen', 'citoyenne', 'marche', 'appel', 'offres', 'tender', 'procurement', 'design', 'graphics'],
  }),
  weak(['encounter'], ['encounter', 'encounters', 'visit', 'visits', 'visite', 'visites', 'appointment', 'appointments', 'rendez vous', 'rdv', 'motif', 'motifs', 'urgences', 'admitted', 'discharged', 'admission', 'admissions', 'discharge', 'sejour', 'sejours', 'stay', 'stays'], {
    record: false,
    nameVetoes: ['game', 'enemy', 'monster', 'npc', 'battle', 'combat', 'random', 'wild', 'pokemon', 'page', 'site', 'web', 'website', 'node', 'ast', 'tree', 'visitor', 'url', 'store', 'shop', 'slot', 'slots', 'availability', 'calendar', 'university', 'school', 'student', 'college', 'battery', 'capacitor', 'hotel', 'booking', 'voyage', 'travel', 'flight', 'vol', 'tourist', 'touristique', 'duration', 'signed', 'logged', 'alive', 'connected', 'open', 'museum', 'musee', 'count', 'counter', 'reminder', 'email', 'mail', 'sms', 'notification'],
    contextVetoes: ['game', 'enemy', 'monster', 'npc', 'battle', 'combat', 'pokemon', 'page', 'site', 'web', 'website', 'ast', 'visitor', 'traverse', 'traversal', 'analytics', 'tracking', 'university', 'school', 'admissions', 'battery', 'hotel', 'booking', 'travel', 'tourism', 'voyage', 'museum'],
  }),
  // "encounters and visits with their reasons" (contract): a `reason` inside a consultation, visit or appointment.
  weak(['encounter'], ['reason', 'reasons', 'raison'], {
    nameVetoes: ['cancel', 'cancellation', 'cancelled', 'refusal', 'reject', 'rejection', 'error', 'failure', 'fail', 'skip', 'close', 'closing', 'ban', 'block', 'deny', 'denial', 'change', 'return', 'refund', 'leave', 'absence', 'annulation', 'rejet'],
  }),
  weak(['encounter'], ['complaint', 'complaints', 'plainte'], { nameVetoes: ['customer', 'ticket', 'support', 'client', 'service', 'legal', 'police', 'reclamation', 'order'] }),

  // clinical notes
  strong(['clinical-note'], ['clinical note', 'clinical notes', 'medical note', 'medical notes', 'doctor notes', 'nurse notes', 'nursing notes', 'progress note', 'progress notes', 'soap note', 'soap notes', 'consultation note', 'consultation notes', 'observation clinique', 'observations cliniques', 'observation medicale', 'observations medicales', 'compte rendu', 'comptes rendus', 'compte rendu medical', 'cr medical', 'compte rendu operatoire', 'compte rendu hospitalisation', 'anamnese', 'anamnesis', 'medical report', 'rapport medical', 'discharge summary', 'lettre de liaison', 'courrier medical', 'medical certificate', 'certificat medical', 'examen clinique', 'clinical information', 'clinical info', 'informations cliniques', 'renseignements cliniques', 'clinical findings', 'clinical summary', 'clinical observations', 'transmissions infirmieres', 'note infirmiere'], {
    nameVetoes: ['reunion', 'meeting', 'conseil', 'assemblee', 'comite', 'seance', 'activite', 'annuel'],
  }),
  weak(['clinical-note'], ['note', 'notes', 'observation', 'observations', 'comment', 'comments', 'commentaire', 'commentaires', 'remarque', 'remarques', 'summary', 'synthese', 'findings', 'report', 'reports', 'rapport', 'transcript', 'transcription'], {
    record: false,
    nameVetoes: [...NON_CLINICAL_NOTES, 'admin', 'internal', 'count', 'id', 'author', 'editor', 'date', 'type', 'status', 'template', 'format', 'bug', 'error', 'crash', 'usage', 'cost', 'billing', 'sales', 'financial', 'performance', 'coverage', 'test', 'build', 'lint', 'pr', 'review', 'code'],
    contextVetoes: [...NON_CLINICAL_NOTES, ...CI_TESTING, 'github', 'pr', 'review', 'admin', 'billing', 'analytics', 'observable', 'rxjs', 'mobx'],
  }),

  // genetic
  strong(['genetic'], ['genetic', 'genetique', 'genom', 'genotyp', 'karyotyp', 'caryotyp', 'brca'], {
    prefix: true,
    nameVetoes: ['algorithm', 'algorithms', 'algo', 'algorithme', 'programming', 'optimizer', 'optimization', 'solver', 'evolution', 'evolutionary', 'crossover', 'fitness', 'operator', 'operators'],
    contextVetoes: ['algorithm', 'algorithms', 'algo', 'algorithme', 'optimizer', 'optimization', 'solver', 'evolutionary', 'crossover'],
  }),
  strong(['genetic'], ['dna', 'adn', 'brca1', 'brca2', 'genetic test', 'test genetique', 'dna test', 'dna sequence', 'gene panel', 'hereditary', 'hereditaire', 'exome', 'phenotype', 'phenotypes', 'pathogenic variant', 'pathogenic variants', 'variant pathogene', 'variants pathogenes'], { nameVetoes: ['brand', 'company', 'culture', 'product', 'startup', 'team', 'marque', 'entreprise'] }),
  weak(['genetic'], ['gene', 'genes', 'mutation', 'mutations', 'snp', 'snps', 'hla', 'sequencing', 'sequencage', 'allele', 'alleles'], {
    nameVetoes: ['graphql', 'state', 'store', 'redux', 'query', 'observer', 'observers', 'dom', 'record', 'records', 'fn', 'hook', 'options', 'resolver', 'input', 'payload', 'response', 'result', 'key', 'type', 'name', 'task', 'tasks', 'job', 'event', 'events', 'step', 'steps'],
    contextVetoes: ['graphql', 'gql', 'apollo', 'urql', 'relay', 'redux', 'vuex', 'pinia', 'mobx', 'store', 'state', 'dom', 'observer', 'react', 'query', 'tanstack', 'swr', 'trpc', 'workflow', 'pipeline'],
  }),

  // mental health
  strong(['mental-health'], ['mental health', 'sante mentale', 'mental illness', 'mental disorder', 'mental disorders', 'trouble mental', 'troubles mentaux', 'trouble psychique', 'troubles psychiques', 'depression', 'depressive', 'depressif', 'depressive', 'anxiety', 'anxiete', 'anxious', 'anxieux', 'bipolar', 'bipolaire', 'ptsd', 'tspt', 'adhd', 'tdah', 'addiction', 'addictions', 'substance abuse', 'substance use', 'alcoholism', 'alcoolisme', 'eating disorder', 'eating disorders', 'trouble alimentaire', 'anorexia', 'anorexie', 'bulimia', 'boulimie', 'psychosis', 'psychose', 'self harm', 'automutilation', 'phq9', 'gad7', 'burnout', 'burn out', 'mood disorder', 'psychotherapy', 'psychotherapie']),
  strong(['mental-health', 'clinical-note'], ['notes psy', 'psy notes', 'psychiatric notes', 'psychotherapy notes', 'dossier psy']),
  strong(['mental-health'], ['psychological', 'psychologique'], { nameVetoes: ['safety', 'pricing', 'marketing', 'trick', 'tricks', 'thriller', 'genre', 'contract', 'barrier', 'barriers', 'effect', 'bias'] }),
  strong(['mental-health'], ['suicid', 'psychiatr', 'schizophren', 'psychotrop'], { prefix: true }),
  // A personal journal's free text next to mood or anxiety scores is what the person confides about their mental health.
  weak(['mental-health'], ['journal text', 'journal entry', 'diary text', 'diary entry', 'journal intime'], { nameVetoes: ['audit', 'change', 'changes', 'transaction', 'ledger', 'accounting', 'event', 'events', 'wal', 'id', 'count'] }),
  weak(['mental-health'], ['mood', 'humeur', 'stress'], { nameVetoes: ['board', 'boards', 'light', 'lighting', 'music', 'playlist', 'test', 'testing', 'load', 'color', 'theme', 'ring', 'emoji', 'ball'] }),

  // sexual and reproductive health
  strong(['sexual-reproductive-health'], ['pregnan', 'contracept', 'obstetr', 'gyneco', 'gynaeco', 'menstrua', 'gestation'], { prefix: true }),
  strong(['sexual-reproductive-health'], ['grossesse', 'grossesses', 'sexual orientation', 'orientation sexuelle', 'sexual health', 'sante sexuelle', 'sex life', 'vie sexuelle', 'sexual activity', 'activite sexuelle', 'sexually transmitted', 'infertility', 'infertilite', 'ivf', 'abortion', 'abortions', 'avortement', 'ivg', 'miscarriage', 'fausse couche', 'menopause', 'prenatal', 'prenatale', 'postnatal', 'postpartum', 'post partum', 'accouchement', 'childbirth', 'date des dernieres regles', 'last menstrual period', 'birth control', 'trimestre de grossesse', 'pilule contraceptive']),
  strong(['sexual-reproductive-health'], ['fertility', 'fertilite'], { nameVetoes: ['soil', 'land', 'crop', 'crops', 'sol', 'sols', 'terre', 'field', 'farm'], contextVetoes: ['soil', 'agriculture', 'agronomy', 'farm', 'crop', 'crops'] }),
  strong(['sexual-reproductive-health', 'condition'], ['hiv', 'vih', 'hiv status', 'statut vih', 'aids', 'sida']),
  weak(['sexual-reproductive-health', 'condition'], ['std', 'stds', 'sti', 'stis', 'ist', 'mst', 'enceinte', 'fiv'], {
    nameVetoes: ['dev', 'deviation', 'out', 'err', 'in', 'io', 'lib', 'string', 'vector', 'map', 'time', 'timezone', 'tz', 'bluetooth', 'speaker', 'audio', 'son', 'acoustique', 'murale', 'wall', 'stadium'],
    contextVetoes: ['math', 'stats', 'statistics', 'cpp', 'stdlib', 'audio', 'hifi', 'timezone', 'speaker', 'enclosure'],
  }),

  // disability
  strong(['disability'], ['disability', 'disabilities', 'invalidite', 'mdph', 'rqth', 'wheelchair', 'fauteuil roulant', 'deficience', 'deficiences', 'reduced mobility', 'mobilite reduite', 'pmr', 'autism', 'autisme', 'hearing loss', 'deafness', 'surdite', 'blindness', 'cecite', 'learning disability', 'special needs']),
  strong(['disability'], ['handicap', 'disabilit'], { prefix: true, nameVetoes: ['golf', 'golfer', 'course', 'sport', 'race', 'horse', 'betting', 'bet', 'odds'] }),
  strong(['disability'], ['impairment', 'impairments'], { nameVetoes: ['asset', 'assets', 'goodwill', 'accounting', 'financial', 'finance', 'loss', 'losses', 'charge', 'charges', 'test', 'testing', 'loan', 'loans'], contextVetoes: ['accounting', 'finance', 'financial', 'ledger', 'ifrs', 'gaap', 'balance', 'asset', 'assets'] }),

  // health insurance
  strong(['health-insurance'], ['mutuelle', 'mutuelles', 'health insurance', 'health insurer', 'medical insurance', 'assurance maladie', 'assurance sante', 'complementaire sante', 'ameli', 'cpam', 'medicare', 'medicaid', 'tiers payant', 'health plan', 'health plans', 'couverture maladie', 'regime obligatoire', 'organisme complementaire', 'ald exoneration', 'health coverage']),
  strong(['health-insurance', 'health-identifier'], ['carte vitale', 'vitale card', 'health card', 'health card number', 'health insurance number', 'numero de mutuelle', 'numero adherent mutuelle']),
  weak(['health-insurance'], ['insurance', 'insurer', 'insurance plan', 'insurance plans', 'insurance provider', 'insurance number', 'insurance id', 'assurance', 'coverage', 'payer', 'cmu', 'css', 'amc', 'amo'], {
    nameVetoes: ['car', 'auto', 'vehicle', 'home', 'house', 'habitation', 'travel', 'voyage', 'life', 'vie', 'pet', 'animal', 'liability', 'responsabilite', 'rental', 'location', 'shipping', 'cargo', 'quality', 'qualite', 'code', 'test', 'line', 'lines', 'branch', 'branches', 'statement', 'function', 'report', 'ci', 'istanbul', 'jest', 'nyc', 'network', 'mobile', 'cell', 'signal', 'map', 'area', 'zone', 'geographic', 'file', 'class', 'module', 'style', 'selector', 'in', 'js', 'loader', 'threshold', 'percent'],
    contextVetoes: ['car', 'auto', 'vehicle', 'motor', 'home', 'house', 'travel', 'life', 'pet', 'liability', 'rental', 'shipping', 'cargo', 'coverage', 'istanbul', 'jest', 'nyc', 'c8', 'vitest', 'network', 'mobile', 'telecom', 'css', 'style', 'styles', 'theme', 'quality', 'qualite'],
  }),

  // health identifiers
  strong(['health-identifier'], ['mrn', 'medical record number', 'medical record no', 'numero de dossier medical', 'numero dossier patient', 'ipp', 'identifiant permanent patient', 'identifiant permanent du patient', 'patient number', 'numero patient', 'numero de patient', 'nhs number', 'medicare number', 'health id', 'health identifier', 'health number', 'identifiant national de sante', 'identite nationale de sante', 'insured nir', 'nir assure', 'matricule ins', 'ins nir', 'ins nia', 'ins qualifie', 'ins qualif', 'ins oid', 'numero ins', 'nir ins']),
  weak(['health-identifier'], ['nir', 'nia', 'ins', 'ssn', 'social security number', 'social security no', 'numero securite sociale', 'numero de securite sociale', 'num securite sociale', 'numero secu', 'num secu', 'no secu', 'secu', 'nss', 'numero ss'], {
    nameVetoes: ['test', 'mask', 'masked', 'regex', 'pattern', 'format', 'validator', 'validate', 'is', 'valid', 'key', 'digits', 'length', 'label', 'placeholder', 'hint', 'error', 'message', 'field', 'level', 'token', 'check', 'audit', 'insert', 'inserts', 'outs', 'ins'],
    contextVetoes: ['payroll', 'paie', 'salary', 'salaire', 'employee', 'employees', 'employe', 'salarie', 'salaries', 'rh', 'hr', 'dsn', 'tax', 'impot', 'impots', 'fiscal', 'bank', 'banque', 'kyc', 'credit', 'loan'],
  }),

  // whole patient records
  strong(['patient-record'], ['patient', 'patients', 'patiente', 'patientes'], { headOnly: true }),
  weak(['patient-record'], ['dossier', 'dossiers'], { headOnly: true, record: false }),
  // The record itself, not the software that keeps it (`ehrVendor`, `emrSystem`).
  strong(['patient-record'], ['ehr', 'emr', 'phr', 'dmp', 'ehrs', 'emrs'], { headOnly: true }),
  strong(['patient-record'], ['patient record', 'patient records', 'patient file', 'patient files', 'patient chart', 'patient data', 'patient info', 'patient information', 'patient details', 'patient profile', 'patient summary', 'dossier patient', 'dossiers patients', 'dossier medical', 'dossiers medicaux', 'dossier de soins', 'dossier de sante', 'dossier sante', 'dossier medical partage', 'dmp', 'medical record', 'medical records', 'medical file', 'medical chart', 'medical data', 'medical info', 'medical information', 'medical profile', 'health record', 'health records', 'health data', 'health info', 'health information', 'health profile', 'clinical data', 'clinical record', 'clinical records', 'donnees medicales', 'donnees de sante', 'donnees sante', 'donnees cliniques', 'carnet de sante', 'carnet sante', 'fiche patient', 'fiche medicale', 'fiche de soins']),
];

/**
 * Words that are too vague for a field (`observations` of a code review, `encounters` in a game) but, as the
 * name of a whole table, collection or model, are the clinical record they are in FHIR.
 */
export const RECORD_ONLY_TERMS: readonly VocabularyTerm[] = [
  strong(['lab-result', 'vital-sign'], ['observation', 'observations']),
  strong(['encounter'], ['encounter', 'encounters']),
  strong(['clinical-note'], ['clinical note', 'clinical notes']),
];

/** Whether a term counts as the name of a whole record (`conditions`, `prescriptions`). */
export function namesRecord(term: VocabularyTerm): boolean {
  return term.record ?? term.strength === 'strong';
}

// ---------------------------------------------------------------------------------------------------------------
// Index: terms keyed by their token-joined spelling, so `bloodType`, `blood_type` and `bloodtype` all meet "bloodtype".

export interface IndexedForm {
  term: VocabularyTerm;
  /** The form as shown to people ("blood type"). */
  label: string;
  /** Number of tokens in the written form: a window of at most one more token may spell it (`blood_work`). */
  wordCount: number;
}

export interface VocabularyIndex {
  byKey: ReadonlyMap<string, IndexedForm[]>;
  prefixes: readonly IndexedForm[];
  /** Longest form in tokens (+1), bounding the windows to look at. */
  maxWindow: number;
}

const FRENCH_LINK_WORDS = new Set(['de', 'du', 'des', 'd', 'la', 'le', 'les', 'l', 'en', 'a', 'aux', 'of', 'for', 'the']);

/** The lookup keys of a written form: joined tokens, and the same without linking words ("arret de travail" -> "arrettravail"). */
function keysOf(form: string): string[] {
  const tokens = tokenize(form);
  const keys = [tokens.join('')];
  const withoutLinks = tokens.filter((token) => !FRENCH_LINK_WORDS.has(token));
  if (withoutLinks.length > 0 && withoutLinks.length < tokens.length) keys.push(withoutLinks.join(''));
  return keys;
}

export function buildVocabularyIndex(terms: readonly VocabularyTerm[], ignoreTerms: readonly string[] = []): VocabularyIndex {
  const ignored = new Set(ignoreTerms.flatMap((ignore) => keysOf(ignore).flatMap((key) => [key, ...singularsOf(key)])));
  const byKey = new Map<string, IndexedForm[]>();
  const prefixes: IndexedForm[] = [];
  let maxWindow = 1;
  for (const term of terms) {
    for (const form of term.forms) {
      const keys = keysOf(form);
      if (keys.some((key) => ignored.has(key) || singularsOf(key).some((singular) => ignored.has(singular)))) continue;
      const indexed: IndexedForm = { term, label: form, wordCount: tokenize(form).length };
      if (term.prefix) {
        prefixes.push(indexed);
        continue;
      }
      maxWindow = Math.max(maxWindow, indexed.wordCount + 1);
      for (const key of keys) {
        const existing = byKey.get(key);
        if (existing) existing.push(indexed);
        else byKey.set(key, [indexed]);
      }
    }
  }
  return { byKey, prefixes, maxWindow };
}

/** Plural and French/English inflection candidates, tried when the exact spelling is not a term ("allergies" -> "allergy"). */
export function singularsOf(key: string): string[] {
  const candidates: string[] = [];
  if (key.length > 4 && key.endsWith('ies')) candidates.push(key.slice(0, -3) + 'y');
  if (key.length > 3 && key.endsWith('es')) candidates.push(key.slice(0, -2));
  if (key.length > 3 && key.endsWith('s') && !key.endsWith('ss')) candidates.push(key.slice(0, -1));
  if (key.length > 4 && key.endsWith('aux')) candidates.push(key.slice(0, -3) + 'al');
  return candidates;
}

/** Turns configuration `terms` into strong vocabulary terms. */
export function termsFromConfig(extraTerms: readonly ExtraTerm[]): VocabularyTerm[] {
  return extraTerms.map((extra) => ({ forms: [extra.term], categories: extra.categories, strength: 'strong', fromConfig: true }));
}

/** What the names being classified are: fields and variables, or whole records (tables, collections, models). */
export type NamePurpose = 'field' | 'record';

const indexCache = new WeakMap<object, WeakMap<object, Partial<Record<NamePurpose, VocabularyIndex>>>>();
const NO_LIST: readonly never[] = [];
const defaultIndexes: Partial<Record<NamePurpose, VocabularyIndex>> = {};

function termsFor(purpose: NamePurpose, extraTerms: readonly ExtraTerm[]): VocabularyTerm[] {
  // Configured terms come first so that, for the same spelling, the configured categories explain the match.
  const configured = termsFromConfig(extraTerms);
  return purpose === 'record' ? [...configured, ...RECORD_ONLY_TERMS, ...BUILT_IN_TERMS] : [...configured, ...BUILT_IN_TERMS];
}

/** The index for a configuration, built once per (terms, ignoreTerms) pair of arrays and purpose. */
export function vocabularyIndexFor(
  extraTerms?: readonly ExtraTerm[],
  ignoreTerms?: readonly string[],
  purpose: NamePurpose = 'field',
): VocabularyIndex {
  if (!extraTerms?.length && !ignoreTerms?.length) {
    return (defaultIndexes[purpose] ??= buildVocabularyIndex(termsFor(purpose, [])));
  }
  const extraKey = extraTerms ?? NO_LIST;
  const ignoreKey = ignoreTerms ?? NO_LIST;
  let byIgnore = indexCache.get(extraKey);
  if (!byIgnore) {
    byIgnore = new WeakMap();
    indexCache.set(extraKey, byIgnore);
  }
  let indexes = byIgnore.get(ignoreKey);
  if (!indexes) {
    indexes = {};
    byIgnore.set(ignoreKey, indexes);
  }
  return (indexes[purpose] ??= buildVocabularyIndex(termsFor(purpose, extraTerms ?? []), ignoreTerms ?? []));
}

// ---------------------------------------------------------------------------------------------------------------
// Matching: the terms spelled by the tokens of a name, longest first, never overlapping.

export interface TermMatch {
  form: IndexedForm;
  /** What to call the match in messages: the form, or for a word beginning the word itself ("suicidal"). */
  label: string;
  /** Token range [start, end) in the name. */
  start: number;
  end: number;
}

export function findTermMatches(tokens: readonly string[], index: VocabularyIndex): TermMatch[] {
  const candidates: TermMatch[] = [];
  for (let start = 0; start < tokens.length; start++) {
    for (let end = start + 1; end <= Math.min(tokens.length, start + index.maxWindow); end++) {
      const window = end - start;
      const key = tokens.slice(start, end).join('');
      const forms = index.byKey.get(key) ?? firstFound(singularsOf(key), index);
      for (const form of forms ?? []) {
        if (window <= form.wordCount + 1) candidates.push({ form, label: form.label, start, end });
      }
    }
    for (const form of index.prefixes) {
      if (tokens[start].startsWith(form.label)) candidates.push({ form, label: tokens[start], start, end: start + 1 });
    }
  }
  // Longest spelling wins ("assurance maladie" over "maladie"); then the earlier one; then configured over built-in.
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const taken = new Array<boolean>(tokens.length).fill(false);
  const chosen: TermMatch[] = [];
  for (const candidate of candidates) {
    let free = true;
    for (let position = candidate.start; position < candidate.end; position++) free &&= !taken[position];
    if (!free) continue;
    for (let position = candidate.start; position < candidate.end; position++) taken[position] = true;
    chosen.push(candidate);
  }
  return chosen.sort((a, b) => a.start - b.start);
}

function firstFound(keys: string[], index: VocabularyIndex): IndexedForm[] | undefined {
  for (const key of keys) {
    const forms = index.byKey.get(key);
    if (forms) return forms;
  }
  return undefined;
}
