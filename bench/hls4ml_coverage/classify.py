#!/usr/bin/env python3
"""classify.py RESULTS_TSV [CORPUS_TSV] : groups the refusals of a run.sh run by root cause and
prints the summary (all, trigger, other) and a markdown blocker table with the project dirs per cause."""
import collections, csv, glob, os, re, sys
res = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
corpus = {r['local_dir']: r for r in csv.DictReader(open(sys.argv[2] if len(sys.argv) > 2 else 'projects.tsv'), delimiter='\t')}
C = os.environ.get('CORPUS', '.')

def top_has(d, pat):
    return any(re.search(pat, open(f, errors='replace').read()) for f in glob.glob(f'{C}/{d}/**/*.cpp', recursive=True))

RULES = [
    (r"conflicting definitions of array 'pixels'", 'P1 parser: io_stream conv `configN::pixels[]` out-of-class definitions of 2+ conv layers collapsed into one global name (l1emu bug)'),
    (r"conflicting definitions of|ap_common\.h:\d+: '<' is never closed", 'P2 parser: reads every header in the directory (non-hls4ml code or a copy of ap_types next to the project)'),
    (r"is declared with \d+ elements, but config\d+::n_in needs", 'F1 BatchNormalization with per-channel scale/bias (n_filt, n_scale_bias; written by hls4ml 1.0 and some earlier releases)'),
    (r"Resource (convolution|Dense) with reuse factor", 'F2 Resource strategy with reuse factor > n_in (dense_resource_rf_gt_nin)'),
    (r"differs from the initializer", 'F3 weights/*.txt disagree with weights/*.h (stale .txt; the code loads .txt only under an undefined macro)'),
    (r"nnet::embedding|nnet::concatenate2d", 'F4 Embedding + Concatenate2D (L1METML)'),
    (r"nnet::h_quantize|_quantizer", 'F5 HGQ quantizer layers (nnet::h_quantize / h_*_quantizer, hls4ml tutorial part 3.1)'),
    (r"resize_nearest: expected template arguments", 'F6 UpSampling2D io_parallel resize_nearest<data_T, CONFIG_T> (2 template arguments, older hls4ml signature)'),
    (r"io_stream nnet::softmax: the input arrives in packs", 'F7 io_stream softmax whose input comes in several packs'),
    (r"io_stream nnet::global_pooling1d_cl", 'F8 io_stream GlobalPooling1D'),
    (r"repack_stream converts", 'F9 io_stream repack_stream with a type conversion'),
    (r"nnet::lstm", 'F10 LSTM (nnet::lstm_stack; nnet_recurrent.h as hls4ml 0.8 ships it)'),
    (r"load_exponent_weights_from_txt", 'F11 power-of-two (exponent) weights (QKeras po2 quantizer)'),
    # hls4ml's Extension API example layer (docs/advanced/extension.rst: KReverse, nnet::reverse in
    # nnet_reverse.h): a custom extension layer, out of scope (issue 14); projects.tsv lists such a
    # folder as kind `extension`, so this rule only names one left counted by mistake.
    (r"nnet::reverse", 'F12 custom extension layer (hls4ml Extension API KReverse, nnet::reverse): out of scope, should be kind extension'),
    (r"compiled only when __SYNTHESIS__ is defined", 'R refused on purpose: weights compiled only under __SYNTHESIS__, the text-file loads under an #ifdef nothing defines (the C simulation computes with zero weights)'),
    (r"conv_1d_latency_cl|dense_large|compute_layer|nnet::conv_2d |nnet::pooling2d |normalize takes 4 arguments, found 5", 'F13 pre-0.5 hls4ml API (conv_1d_latency_cl, dense_large, compute_layer, 5-argument normalize)'),
    (r"no top function found", 'X not a neural network project'),
]

def cause(r):
    e = r['first_error_line']
    if r['import_rc'] not in ('0',) and re.search(r'exit status (1[2-9]\d|[2-9]\d\d)|Segmentation|Abort|what\(\)', e):
        return 'W crash / timeout of l1emu'
    if r['import_rc'] == '0' and r['predict_rc'] != '0':
        return 'W imported but predict failed: ' + e[:80]
    if re.search(r"reads '\w+', which is neither an input", e):
        if top_has(r['local_dir'], r'dense_da_\d+'):
            return 'F14 distributed-arithmetic dense (AXOL1TL v6: GTADModel_v6::dense_da_N, not an nnet:: call); hls4ml importer misreports it'
        return 'B broken hls4ml output (a layer reads an array nothing writes)'
    for pat, name in RULES:
        if re.search(pat, e): return name
    return 'U unclassified: ' + e[:100]

counted = [r for r in res if r['kind'] in ('hls4ml', 'axol1tl')]
def ok(r): return r['import_rc'] == '0' and r['predict_rc'] == '0'
def line(rows, label):
    n = len(rows); k = sum(ok(r) for r in rows)
    return f"{label}: {k} / {n} import and evaluate ({100.0 * k / n if n else 0:.1f}%)"
cat = lambda r: corpus.get(r['local_dir'], {}).get('category', '?')
print(line(counted, 'all counted projects'))
print(line([r for r in counted if cat(r) == 'trigger'], 'trigger projects (cms-hls4ml, CMS L1T, L1 GT, correlator, HCAL)'))
print(line([r for r in counted if cat(r) != 'trigger'], 'other projects (tutorials, students, benchmarks)'))
allnn = [r for r in res if r['kind'] in ('hls4ml', 'axol1tl', 'capped')]
print(line(allnn, 'without the 3-per-repository cap (duplicates still out)'))
groups = collections.defaultdict(list)
for r in counted:
    if not ok(r): groups[cause(r)].append(r)
print('\n| cause | projects | trigger | dirs |\n| --- | ---: | ---: | --- |')
for c, rs in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
    print(f"| {c} | {len(rs)} | {sum(cat(r) == 'trigger' for r in rs)} | {', '.join(os.path.basename(r['local_dir']) for r in rs)} |")
