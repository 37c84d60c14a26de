/*
 * Optional accelerator for the JSON object hook of mastodon.internals.
 *
 * Every object of every API answer goes through the hook: numeric-string ids become ints,
 * ISO 8601 dates become datetimes, and the dict becomes an AttribAccessDict. In Python this
 * per-object work costs about as much as json.loads itself; here it costs a fraction.
 *
 * The pure-Python hook (mastodon.internals._json_object_hook) stays the reference: this one
 * handles only the common cases and hands any object with something unusual in it (a date
 * fromisoformat cannot read, a true/false field, "week"/"day") to the Python hook whole, so the
 * two always give the same result. tests/test_speedups.py checks that differentially.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX < 0x03090000
#error "mastodon._speedups needs Python 3.9 or newer"
#endif

/* Kinds, as configured from Python (see _decoding._speedup_key_kinds, whose _KIND_* constants
 * must equal these; the module exports them under the same names for tests/test_generated.py). */
#define KIND_PLAIN 0     /* a known field name with nothing to convert */
#define KIND_INT 1       /* numeric-string id → int */
#define KIND_DATE 2      /* ISO 8601 string → datetime */
#define KIND_OTHER 3     /* anything else special: left to the Python hook */
#define KIND_UNCOVERED 8 /* flag: no lazy attribute descriptor exists for this key */

/* Strong references, set once by configure(). */
static PyTypeObject *wrap_type = NULL;
static PyObject *key_kinds = NULL;
static PyObject *parse_date = NULL;
static PyObject *python_hook = NULL;
static PyObject *empty_tuple = NULL;

/* Key → kind, by identity. The json decoder hands out one string object per distinct key of a
 * document, so nearly every lookup is a hit that costs a pointer compare instead of a string
 * compare in key_kinds. Entries hold a strong reference: an address cannot be reused by another
 * string while it is in the cache. Two-way sets, so that two keys of one object that share a
 * set do not evict each other on every object; long keys are not cached. */
#define CACHE_SETS 1024
#define CACHE_MAX_KEY_LENGTH 64

typedef struct {
    PyObject *key;
    long kind;
} cache_entry;

static cache_entry kind_cache[CACHE_SETS][2];

static void
clear_cache(void)
{
    for (size_t i = 0; i < CACHE_SETS; i++) {
        Py_CLEAR(kind_cache[i][0].key);
        Py_CLEAR(kind_cache[i][1].key);
    }
}

/* The kind of a key (KIND_UNCOVERED for one that is not in key_kinds), or -1 on error. */
static long
lookup_kind(PyObject *key)
{
    uintptr_t address = (uintptr_t)key;
    cache_entry *set = kind_cache[((address >> 4) ^ (address >> 14)) & (CACHE_SETS - 1)];
    if (set[0].key == key) {
        return set[0].kind;
    }
    if (set[1].key == key) {
        return set[1].kind;
    }
    long kind;
    PyObject *kind_object = PyDict_GetItemWithError(key_kinds, key);
    if (kind_object == NULL) {
        if (PyErr_Occurred()) {
            return -1;
        }
        kind = KIND_UNCOVERED;
    }
    else {
        kind = PyLong_AsLong(kind_object);
        if (kind == -1 && PyErr_Occurred()) {
            return -1;
        }
    }
    if (PyUnicode_CheckExact(key) && PyUnicode_GET_LENGTH(key) <= CACHE_MAX_KEY_LENGTH) {
        /* The newest entry goes first; the one it displaces drops out. */
        PyObject *evicted = set[1].key;
        set[1] = set[0];
        Py_INCREF(key);
        set[0].key = key;
        set[0].kind = kind;
        Py_XDECREF(evicted);
    }
    return kind;
}

/* The same prefilter as the Python hook: only strings int() may accept are tried, because a
 * failed conversion costs an exception. */
static int
int_candidate(PyObject *value)
{
    if (PyUnicode_GET_LENGTH(value) == 0) {
        return 0;
    }
    Py_UCS4 first = PyUnicode_READ_CHAR(value, 0);
    return Py_UNICODE_ISDIGIT(first) || first == '+' || first == '-' || Py_UNICODE_ISSPACE(first);
}

/* Convert one value in place. Returns 1 when done, 0 when the object needs the Python hook,
 * -1 on a real error (MemoryError and the like). */
static int
convert_value(PyObject *obj, PyObject *key, PyObject *value, long kind)
{
    PyObject *converted;

    if (kind == KIND_INT) {
        /* Non-string values are left alone, as the Python hook leaves them. */
        if (!PyUnicode_CheckExact(value) || !int_candidate(value)) {
            return 1;
        }
        converted = PyLong_FromUnicodeObject(value, 10);
        if (converted == NULL) {
            if (PyErr_ExceptionMatches(PyExc_ValueError)) {
                PyErr_Clear();
                return 1;
            }
            return -1;
        }
    }
    else if (kind == KIND_DATE && PyUnicode_CheckExact(value)) {
        converted = PyObject_CallOneArg(parse_date, value);
        if (converted == NULL) {
            if (PyErr_ExceptionMatches(PyExc_ValueError)) {
                PyErr_Clear();
                return 0;
            }
            return -1;
        }
    }
    else {
        return 0;
    }
    /* Replacing the value of an existing key does not disturb the PyDict_Next walk. */
    int failed = PyDict_SetItem(obj, key, converted);
    Py_DECREF(converted);
    return failed ? -1 : 1;
}

static PyObject *
object_hook(PyObject *Py_UNUSED(module), PyObject *obj)
{
    if (wrap_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "mastodon._speedups is not configured");
        return NULL;
    }
    if (!PyDict_CheckExact(obj)) {
        return PyObject_CallOneArg(python_hook, obj);
    }

    Py_ssize_t pos = 0;
    PyObject *key, *value;
    int uncovered = 0;
    while (PyDict_Next(obj, &pos, &key, &value)) {
        long kind = lookup_kind(key);
        if (kind == -1) {
            return NULL;
        }
        if (kind & KIND_UNCOVERED) {
            uncovered = 1;
            kind &= ~KIND_UNCOVERED;
        }
        if (kind == KIND_PLAIN || value == Py_None) {
            continue;
        }
        switch (convert_value(obj, key, value, kind)) {
        case 1:
            break;
        case 0:
            /* Something unusual: the Python hook does the whole object (its conversions are
             * idempotent, so what was converted here already is left as it is). */
            return PyObject_CallOneArg(python_hook, obj);
        default:
            return NULL;
        }
    }

    PyObject *wrapped = PyDict_Type.tp_new(wrap_type, empty_tuple, NULL);
    if (wrapped == NULL) {
        return NULL;
    }
    if (PyDict_Update(wrapped, obj) < 0) {
        Py_DECREF(wrapped);
        return NULL;
    }
    if (uncovered) {
        /* A key without a lazy descriptor is only reachable as an attribute through the
         * instance __dict__: make the dict its own, as the Python hook does. */
        if (PyObject_GenericSetDict(wrapped, wrapped, NULL) < 0) {
            Py_DECREF(wrapped);
            return NULL;
        }
    }
    else if (!PyObject_GC_IsTracked(obj)) {
        /* Only atomic values (json left the plain dict untracked): like a plain dict, this one
         * cannot be part of a cycle, so the cycle collector need not visit it. Storing a
         * container in it tracks it again (as for any dict), and so do materialize() and
         * track() when its __dict__ or _attrs slot is set. */
        PyObject_GC_UnTrack(wrapped);
    }
    return wrapped;
}

static int
ensure_tracked(PyObject *obj)
{
    if (!PyObject_IS_GC(obj)) {
        PyErr_SetString(PyExc_TypeError, "not a garbage-collected object");
        return -1;
    }
    if (!PyObject_GC_IsTracked(obj)) {
        PyObject_GC_Track(obj);
    }
    return 0;
}

static PyObject *
materialize(PyObject *Py_UNUSED(module), PyObject *obj)
{
    if (!PyDict_Check(obj) || PyDict_CheckExact(obj)) {
        PyErr_SetString(PyExc_TypeError, "materialize() needs an AttribAccessDict");
        return NULL;
    }
    /* The dict becomes its own __dict__: a reference cycle, which the collector must see. */
    if (ensure_tracked(obj) < 0 || PyObject_GenericSetDict(obj, obj, NULL) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
track(PyObject *Py_UNUSED(module), PyObject *obj)
{
    if (ensure_tracked(obj) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
configure(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *type, *kinds, *date_parser, *fallback;
    if (!PyArg_ParseTuple(args, "O!O!OO:configure", &PyType_Type, &type, &PyDict_Type, &kinds,
                          &date_parser, &fallback)) {
        return NULL;
    }
    if (!PyType_IsSubtype((PyTypeObject *)type, &PyDict_Type) || type == (PyObject *)&PyDict_Type) {
        PyErr_SetString(PyExc_TypeError, "configure() needs a dict subclass");
        return NULL;
    }
    if (!PyCallable_Check(date_parser) || !PyCallable_Check(fallback)) {
        PyErr_SetString(PyExc_TypeError, "configure() needs callables for dates and the fallback");
        return NULL;
    }
    clear_cache();
    Py_INCREF(type);
    Py_XSETREF(wrap_type, (PyTypeObject *)type);
    Py_INCREF(kinds);
    Py_XSETREF(key_kinds, kinds);
    Py_INCREF(date_parser);
    Py_XSETREF(parse_date, date_parser);
    Py_INCREF(fallback);
    Py_XSETREF(python_hook, fallback);
    Py_RETURN_NONE;
}

static PyMethodDef speedups_methods[] = {
    {"object_hook", object_hook, METH_O,
     "JSON object hook: convert ids and dates, return an AttribAccessDict."},
    {"materialize", materialize, METH_O,
     "Make an AttribAccessDict its own __dict__ (tracking it for the cycle collector)."},
    {"track", track, METH_O,
     "Have the cycle collector track an object the hook left untracked."},
    {"configure", configure, METH_VARARGS,
     "configure(wrap_type, key_kinds, parse_date, python_hook): set the tables the hook uses."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef speedups_module = {
    PyModuleDef_HEAD_INIT,
    "mastodon._speedups",
    "C accelerator for the JSON post-processing of mastodon.internals (optional).",
    -1,
    speedups_methods,
    NULL,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    if (empty_tuple == NULL) {
        empty_tuple = PyTuple_New(0);
        if (empty_tuple == NULL) {
            return NULL;
        }
    }
    PyObject *module = PyModule_Create(&speedups_module);
    if (module == NULL) {
        return NULL;
    }
    if (PyModule_AddIntMacro(module, KIND_PLAIN) < 0 || PyModule_AddIntMacro(module, KIND_INT) < 0
        || PyModule_AddIntMacro(module, KIND_DATE) < 0
        || PyModule_AddIntMacro(module, KIND_OTHER) < 0
        || PyModule_AddIntMacro(module, KIND_UNCOVERED) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
