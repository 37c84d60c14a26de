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

#if PY_VERSION_HEX < 0x030A0000
#error "mastodon._speedups needs Python 3.10 or newer"
#endif

/* Kinds, as configured from Python (see _decoding._speedup_key_kinds, whose _KIND_* constants
 * must equal these; the module exports them under the same names for tests/test_generated.py). */
#define KIND_PLAIN 0     /* a known field name with nothing to convert */
#define KIND_INT 1       /* numeric-string id → int */
#define KIND_DATE 2      /* ISO 8601 string → datetime */
#define KIND_OTHER 3     /* anything else special: left to the Python hook */
#define KIND_UNCOVERED 8 /* flag: no lazy attribute descriptor exists for this key */
/* Above the kind and the flag, the key table's values carry the key's field number (0: none),
 * merged in by configure_cast_v2 so that dialect 2's cast finds a key's declared field through
 * the same cached lookup the hook made for it (see cast_fields_by_items). */
#define LOW_KIND_MASK 7
#define FIELD_SHIFT 4

/* Strong references, set once by configure(). */
static PyTypeObject *wrap_type = NULL;
static PyObject *key_kinds = NULL;       /* as configured, merged with field_numbers when set */
static PyObject *given_kinds = NULL;     /* as configure() was given it */
static PyObject *field_numbers = NULL;   /* key → field number, from configure_cast_v2 */
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

/* The AttribAccessDict holding the items of ``obj`` (a dict the decoder built). */
static PyObject *
wrap_object(PyObject *obj, int uncovered)
{
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
        }
        kind &= LOW_KIND_MASK;
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

    return wrap_object(obj, uncovered);
}

/* Dialect "2"'s hook: the same attribute dict, holding the wire values (no conversion). */
static PyObject *
object_hook_plain(PyObject *Py_UNUSED(module), PyObject *obj)
{
    if (wrap_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "mastodon._speedups is not configured");
        return NULL;
    }
    if (!PyDict_Check(obj)) {
        PyErr_SetString(PyExc_TypeError, "object_hook_plain() needs a dict");
        return NULL;
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
            break;
        }
    }
    return wrap_object(obj, uncovered);
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

/* key_kinds = given_kinds with each key's field number in the high bits (keys the given table
 * lacks come in as KIND_UNCOVERED, which is what a missing key means to the hook anyway). */
static int
merge_field_numbers(void)
{
    PyObject *merged = PyDict_Copy(given_kinds);
    if (merged == NULL) {
        return -1;
    }
    if (field_numbers != NULL) {
        Py_ssize_t position = 0;
        PyObject *key, *number;
        while (PyDict_Next(field_numbers, &position, &key, &number)) {
            PyObject *kind_object = PyDict_GetItemWithError(merged, key);
            long kind = KIND_UNCOVERED;
            if (kind_object != NULL) {
                kind = PyLong_AsLong(kind_object);
            }
            long field = PyLong_AsLong(number);
            if (PyErr_Occurred()) {
                Py_DECREF(merged);
                return -1;
            }
            PyObject *value = PyLong_FromLong((kind & (LOW_KIND_MASK | KIND_UNCOVERED)) | (field << FIELD_SHIFT));
            if (value == NULL || PyDict_SetItem(merged, key, value) < 0) {
                Py_XDECREF(value);
                Py_DECREF(merged);
                return -1;
            }
            Py_DECREF(value);
        }
    }
    clear_cache();
    Py_XSETREF(key_kinds, merged);
    return 0;
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
    Py_XSETREF(given_kinds, Py_NewRef(kinds));
    if (merge_field_numbers() < 0) {
        return NULL;
    }
    Py_INCREF(type);
    Py_XSETREF(wrap_type, (PyTypeObject *)type);
    Py_INCREF(date_parser);
    Py_XSETREF(parse_date, date_parser);
    Py_INCREF(fallback);
    Py_XSETREF(python_hook, fallback);
    Py_RETURN_NONE;
}

/* ---------------------------------------------------------------------------------------------
 * Casting: decoded objects get their entity class top-down (see mastodon/_casting.py, whose
 * cast_entity is the reference and whose ONE/LIST/MAPPING/UNION constants these equal). */

#define CAST_ONE 1
#define CAST_LIST 2
#define CAST_MAPPING 3
#define CAST_UNION 4

static PyTypeObject *plain_type = NULL; /* AttribAccessDict: only its instances are recast */
static PyObject *cast_fields = NULL;    /* class → tuple of (key, kind, target) */
static PyObject *union_chooser = NULL;  /* choose(obj, candidates) → class or None */
static PyObject *class_name = NULL;     /* "__class__" */

static int
set_class(PyObject *obj, PyObject *cls)
{
#if PY_VERSION_HEX < 0x030C0000
    /* configure_cast() checked that every class of the table has the layout of plain_type, which
     * is what object.__setattr__(obj, "__class__", cls) verifies before doing just this. */
    PyTypeObject *old = Py_TYPE(obj);
    Py_INCREF(cls);
    Py_SET_TYPE(obj, (PyTypeObject *)cls);
    Py_DECREF(old);
    return 0;
#else
    /* Newer interpreters may keep instance dicts inline: let the interpreter do it. */
    return PyObject_GenericSetAttr(obj, class_name, cls);
#endif
}

static int cast_one(PyObject *obj, PyObject *cls);

static int
cast_value(PyObject *value, long kind, PyObject *target)
{
    if (kind == CAST_ONE) {
        return cast_one(value, target);
    }
    if (kind == CAST_LIST) {
        if (!PyList_Check(value)) {
            return 0;
        }
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(value); i++) {
            if (cast_one(PyList_GET_ITEM(value, i), target) < 0) {
                return -1;
            }
        }
        return 0;
    }
    if (kind == CAST_MAPPING) {
        if (!PyDict_Check(value)) {
            return 0;
        }
        Py_ssize_t position = 0;
        PyObject *item_key, *item;
        while (PyDict_Next(value, &position, &item_key, &item)) {
            if (cast_one(item, target) < 0) {
                return -1;
            }
        }
        return 0;
    }
    if (kind == CAST_UNION) {
        if (Py_TYPE(value) != plain_type) {
            return 0;
        }
        PyObject *chosen = PyObject_CallFunctionObjArgs(union_chooser, value, target, NULL);
        if (chosen == NULL) {
            return -1;
        }
        int result = chosen == Py_None ? 0 : cast_one(value, chosen);
        Py_DECREF(chosen);
        return result;
    }
    return 0;
}

static int
cast_one(PyObject *obj, PyObject *cls)
{
    if (Py_TYPE(obj) != plain_type || (PyObject *)plain_type == cls) {
        return 0;
    }
    PyObject *fields = PyDict_GetItemWithError(cast_fields, cls);
    if (fields == NULL) {
        return PyErr_Occurred() ? -1 : 0; /* not an entity class of the table: leave it */
    }
    if (set_class(obj, cls) < 0) {
        return -1;
    }
    if (Py_EnterRecursiveCall(" while casting a result")) {
        return -1;
    }
    int result = 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(fields); i++) {
        PyObject *entry = PyTuple_GET_ITEM(fields, i);
        PyObject *value = PyDict_GetItemWithError(obj, PyTuple_GET_ITEM(entry, 0));
        if (value == NULL) {
            if (PyErr_Occurred()) {
                result = -1;
                break;
            }
            continue;
        }
        if (value == Py_None) {
            continue;
        }
        long kind = PyLong_AsLong(PyTuple_GET_ITEM(entry, 1));
        if (kind == -1 && PyErr_Occurred()) {
            result = -1;
            break;
        }
        if (cast_value(value, kind, PyTuple_GET_ITEM(entry, 2)) < 0) {
            result = -1;
            break;
        }
    }
    Py_LeaveRecursiveCall();
    return result;
}

static PyObject *
cast_entity(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *obj, *cls;
    if (!PyArg_ParseTuple(args, "OO:cast_entity", &obj, &cls)) {
        return NULL;
    }
    if (cast_fields == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "cast_entity() before configure_cast()");
        return NULL;
    }
    if (cast_one(obj, cls) < 0) {
        return NULL;
    }
    Py_INCREF(obj);
    return obj;
}

static PyObject *
configure_cast(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *plain, *fields, *chooser;
    if (!PyArg_ParseTuple(args, "O!O!O:configure_cast", &PyType_Type, &plain, &PyDict_Type, &fields,
                          &chooser)) {
        return NULL;
    }
    if (!PyCallable_Check(chooser)) {
        PyErr_SetString(PyExc_TypeError, "configure_cast() needs a callable chooser");
        return NULL;
    }
    /* Every class must share the plain type's layout, or swapping types would corrupt objects;
     * every entry must be a (str, int, target) tuple. */
    Py_ssize_t position = 0;
    PyObject *cls, *entries;
    while (PyDict_Next(fields, &position, &cls, &entries)) {
        if (!PyType_Check(cls) || !PyType_IsSubtype((PyTypeObject *)cls, (PyTypeObject *)plain)
            || ((PyTypeObject *)cls)->tp_basicsize != ((PyTypeObject *)plain)->tp_basicsize
            || ((PyTypeObject *)cls)->tp_dictoffset != ((PyTypeObject *)plain)->tp_dictoffset
            || ((PyTypeObject *)cls)->tp_itemsize != ((PyTypeObject *)plain)->tp_itemsize
            || !(((PyTypeObject *)cls)->tp_flags & Py_TPFLAGS_HEAPTYPE)) {
            PyErr_SetString(PyExc_TypeError, "configure_cast() needs subclasses with the plain type's layout");
            return NULL;
        }
        if (!PyTuple_Check(entries)) {
            PyErr_SetString(PyExc_TypeError, "configure_cast() needs tuples of fields");
            return NULL;
        }
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(entries); i++) {
            PyObject *entry = PyTuple_GET_ITEM(entries, i);
            if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 3
                || !PyUnicode_Check(PyTuple_GET_ITEM(entry, 0)) || !PyLong_Check(PyTuple_GET_ITEM(entry, 1))) {
                PyErr_SetString(PyExc_TypeError, "configure_cast() needs (key, kind, target) fields");
                return NULL;
            }
        }
    }
    if (class_name == NULL) {
        class_name = PyUnicode_InternFromString("__class__");
        if (class_name == NULL) {
            return NULL;
        }
    }
    Py_INCREF(plain);
    Py_XSETREF(plain_type, (PyTypeObject *)plain);
    Py_INCREF(fields);
    Py_XSETREF(cast_fields, fields);
    Py_INCREF(chooser);
    Py_XSETREF(union_chooser, chooser);
    Py_RETURN_NONE;
}

/* ---------------------------------------------------------------------------------------------
 * Dialect "2": the cast also converts each declared field by its declared type and adds the
 * absent ones as None (see mastodon/_casting.py, python_cast_entity_v2, the reference; the
 * kinds equal its constants and return_types.FIELD_KINDS'). */

#define V2_PLAIN 0
#define V2_ID 5
#define V2_INT 6
#define V2_FLOAT 7
#define V2_DATE 8
#define V2_BOOL 9
#define V2_PLAIN_LIST 10
#define V2_FILL 16
#define V2_KIND_MASK 15

static PyObject *v2_table = NULL;        /* class → (dialect-2 class, entries, fix-up or None) */
static PyObject *v2_chooser = NULL;      /* choose(obj, candidates) → class or None */
static PyTypeObject *v2_id_type = NULL;  /* MaybeSnowflakeIdType */
static PyObject *v2_list_type = NULL;    /* NonPaginatableList */
static PyObject *v2_fromiso = NULL;      /* datetime.fromisoformat */
static PyObject *v2_date = NULL;         /* the Python conversion of any other date value */
static PyObject *v2_lower = NULL;        /* "lower" */
static PyObject *v2_true = NULL;         /* "true" */

static int cast_one_v2(PyObject *obj, PyObject *cls);

/* The id type holding ``text`` (a str): a str subclass made without its Python __new__. */
static PyObject *
new_id(PyObject *text)
{
    PyObject *args = PyTuple_Pack(1, text);
    if (args == NULL) {
        return NULL;
    }
    PyObject *id = PyUnicode_Type.tp_new(v2_id_type, args, NULL);
    Py_DECREF(args);
    /* An instance of a class defined in Python is tracked by the cycle collector, but a str
     * holds no references: like a tuple of atoms, it can never be part of a cycle. */
    if (id != NULL && PyObject_IS_GC(id) && PyObject_GC_IsTracked(id)) {
        PyObject_GC_UnTrack(id);
    }
    return id;
}

/* The converted value (a new reference), Py_NotImplemented (borrowed, not to be released) when
 * the value stays as it is, or NULL on an error. */
static PyObject *
v2_convert(PyObject *value, long kind)
{
    switch (kind) {
    case V2_ID:
        if (PyUnicode_CheckExact(value)) {
            return new_id(value);
        }
        if (PyLong_CheckExact(value)) {
            PyObject *text = PyObject_Str(value);
            if (text == NULL) {
                return NULL;
            }
            PyObject *id = new_id(text);
            Py_DECREF(text);
            return id;
        }
        return Py_NotImplemented;
    case V2_INT:
        if (PyUnicode_CheckExact(value)) {
            PyObject *number = PyLong_FromUnicodeObject(value, 10);
            if (number == NULL && PyErr_ExceptionMatches(PyExc_ValueError)) {
                PyErr_Clear();
                return Py_NotImplemented;
            }
            return number;
        }
        return Py_NotImplemented;
    case V2_FLOAT: {
        PyObject *number;
        if (PyUnicode_CheckExact(value)) {
            number = PyFloat_FromString(value);
        }
        else if (PyLong_CheckExact(value)) {
            number = PyNumber_Float(value);
        }
        else {
            return Py_NotImplemented;
        }
        if (number == NULL && (PyErr_ExceptionMatches(PyExc_ValueError)
                               || PyErr_ExceptionMatches(PyExc_OverflowError))) {
            PyErr_Clear();
            return Py_NotImplemented;
        }
        return number;
    }
    case V2_DATE:
        if (PyUnicode_CheckExact(value)) {
            PyObject *parsed = PyObject_CallOneArg(v2_fromiso, value);
            if (parsed != NULL || !PyErr_ExceptionMatches(PyExc_ValueError)) {
                return parsed;
            }
            PyErr_Clear();
        }
        /* Other formats, epoch numbers, unreadable values (None): the Python conversion. */
        return PyObject_CallOneArg(v2_date, value);
    case V2_BOOL:
        if (PyUnicode_CheckExact(value)) {
            PyObject *lowered = PyObject_CallMethodNoArgs(value, v2_lower);
            if (lowered == NULL) {
                return NULL;
            }
            int is_true = PyUnicode_Compare(lowered, v2_true) == 0;
            Py_DECREF(lowered);
            if (PyErr_Occurred()) {
                return NULL;
            }
            return Py_NewRef(is_true ? Py_True : Py_False);
        }
        if (PyLong_CheckExact(value) || PyFloat_CheckExact(value)) {
            return Py_NewRef(PyObject_IsTrue(value) ? Py_True : Py_False);
        }
        return Py_NotImplemented;
    default:
        return Py_NotImplemented;
    }
}

/* A list inside an entity becomes a NonPaginatableList, its items cast to ``target`` (unless
 * None). The decoder's lists are exact lists and NonPaginatableList has their layout (empty
 * __slots__, checked by configure_cast_v2), so the list changes class in place: no copy, and no
 * new object for the cycle collector to count. Python refuses this assignment for instances of
 * built-in types only because it cannot check layouts in general. */
static int
v2_list(PyObject *value, PyObject *target)
{
    if (PyList_CheckExact(value)) {
        Py_INCREF(v2_list_type);
        Py_SET_TYPE(value, (PyTypeObject *)v2_list_type);
    }
    if (target == Py_None) {
        return 0;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(value); i++) {
        if (cast_one_v2(PyList_GET_ITEM(value, i), target) < 0) {
            return -1;
        }
    }
    return 0;
}

static int
v2_field(PyObject *obj, PyObject *key, PyObject *value, long kind, PyObject *target)
{
    PyObject *converted;
    switch (kind) {
    case V2_PLAIN:
        return 0;
    case CAST_ONE:
        return cast_one_v2(value, target);
    case CAST_MAPPING: {
        if (!PyDict_Check(value)) {
            return 0;
        }
        Py_ssize_t position = 0;
        PyObject *item_key, *item;
        while (PyDict_Next(value, &position, &item_key, &item)) {
            if (cast_one_v2(item, target) < 0) {
                return -1;
            }
        }
        return 0;
    }
    case CAST_UNION: {
        if (Py_TYPE(value) != plain_type) {
            return 0;
        }
        PyObject *chosen = PyObject_CallFunctionObjArgs(v2_chooser, value, target, NULL);
        if (chosen == NULL) {
            return -1;
        }
        int result = chosen == Py_None ? 0 : cast_one_v2(value, chosen);
        Py_DECREF(chosen);
        return result;
    }
    case CAST_LIST:
    case V2_PLAIN_LIST:
        if (!PyList_Check(value)) {
            return 0;
        }
        return v2_list(value, kind == CAST_LIST ? target : Py_None);
    default:
        converted = v2_convert(value, kind);
        if (converted == Py_NotImplemented) {
            return 0;
        }
    }
    if (converted == NULL) {
        return -1;
    }
    int failed = PyDict_SetItem(obj, key, converted);
    Py_DECREF(converted);
    return failed ? -1 : 0;
}

/* The cast of an object (its class has at most 64 declared fields): one walk over the object's
 * own items converts the declared fields present, then the absent ones are added as None.
 * ``positions`` maps a field number to the field's place in ``entries`` (255: not declared).
 * A key's field number comes from the hook's key lookup, which the hook has just made for this
 * very key object (the cache hit is a pointer compare): no hashing, no string compare. */
static int
cast_fields_by_items(PyObject *obj, PyObject *entries, PyObject *positions, PyObject *kinds)
{
    const unsigned char *place = (const unsigned char *)PyBytes_AS_STRING(positions);
    const unsigned char *kind_at = (const unsigned char *)PyBytes_AS_STRING(kinds);
    Py_ssize_t places = PyBytes_GET_SIZE(positions);
    uint64_t seen = 0;
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(obj, &pos, &key, &value)) {
        long kind_and_field = lookup_kind(key);
        if (kind_and_field == -1) {
            return -1;
        }
        long field = kind_and_field >> FIELD_SHIFT;
        if (field <= 0 || field >= places || place[field] >= PyTuple_GET_SIZE(entries)) {
            continue;
        }
        Py_ssize_t position = place[field];
        seen |= (uint64_t)1 << position;
        long kind = kind_at[position] & V2_KIND_MASK;
        if (value == Py_None || kind == V2_PLAIN) {
            continue;
        }
        /* A converted value replaces the value of an existing key: the walk is not disturbed. */
        if (v2_field(obj, key, value, kind, PyTuple_GET_ITEM(PyTuple_GET_ITEM(entries, position), 2)) < 0) {
            return -1;
        }
    }
    Py_ssize_t count = PyTuple_GET_SIZE(entries);
    for (Py_ssize_t i = 0; i < count; i++) {
        if ((seen & ((uint64_t)1 << i)) || !(kind_at[i] & V2_FILL)) {
            continue;
        }
        if (PyDict_SetItem(obj, PyTuple_GET_ITEM(PyTuple_GET_ITEM(entries, i), 0), Py_None) < 0) {
            return -1;
        }
    }
    return 0;
}

static int
cast_one_v2(PyObject *obj, PyObject *cls)
{
    if (Py_TYPE(obj) != plain_type || (PyObject *)plain_type == cls) {
        return 0;
    }
    PyObject *found = PyDict_GetItemWithError(v2_table, cls);
    if (found == NULL) {
        return PyErr_Occurred() ? -1 : 0; /* not an entity class of the table: leave it */
    }
    PyObject *entries = PyTuple_GET_ITEM(found, 1);
    PyObject *fixup = PyTuple_GET_ITEM(found, 2);
    PyObject *positions = PyTuple_GET_ITEM(found, 3);
    PyObject *kinds = PyTuple_GET_ITEM(found, 4);
    if (set_class(obj, PyTuple_GET_ITEM(found, 0)) < 0) {
        return -1;
    }
    if (Py_EnterRecursiveCall(" while casting a result")) {
        return -1;
    }
    /* configure_cast_v2() checked the shapes: at most 64 entries, positions and kinds bytes. */
    int result = cast_fields_by_items(obj, entries, positions, kinds);
    Py_LeaveRecursiveCall();
    if (result == 0 && fixup != Py_None) {
        PyObject *done = PyObject_CallOneArg(fixup, obj);
        if (done == NULL) {
            return -1;
        }
        Py_DECREF(done);
    }
    return result;
}

static PyObject *
cast_entity_v2(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *obj, *cls;
    if (!PyArg_ParseTuple(args, "OO:cast_entity_v2", &obj, &cls)) {
        return NULL;
    }
    if (v2_table == NULL || plain_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "cast_entity_v2() before configure_cast() and configure_cast_v2()");
        return NULL;
    }
    if (cast_one_v2(obj, cls) < 0) {
        return NULL;
    }
    return Py_NewRef(obj);
}

static PyObject *
configure_cast_v2(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *plain, *table, *chooser, *id_type, *list_type, *fromiso, *date, *numbers;
    if (!PyArg_ParseTuple(args, "O!O!OO!O!OOO!:configure_cast_v2", &PyType_Type, &plain, &PyDict_Type,
                          &table, &chooser, &PyType_Type, &id_type, &PyType_Type, &list_type,
                          &fromiso, &date, &PyDict_Type, &numbers)) {
        return NULL;
    }
    if (given_kinds == NULL) {
        PyErr_SetString(PyExc_TypeError, "configure_cast_v2() needs configure() first");
        return NULL;
    }
    if (plain_type == NULL || plain != (PyObject *)plain_type) {
        PyErr_SetString(PyExc_TypeError, "configure_cast_v2() needs configure_cast() first, with the same plain type");
        return NULL;
    }
    if (!PyCallable_Check(chooser) || !PyCallable_Check(fromiso) || !PyCallable_Check(date)) {
        PyErr_SetString(PyExc_TypeError, "configure_cast_v2() needs callables");
        return NULL;
    }
    PyTypeObject *lt = (PyTypeObject *)list_type;
    if (!PyType_IsSubtype((PyTypeObject *)id_type, &PyUnicode_Type)
        || !PyType_IsSubtype(lt, &PyList_Type) || !(lt->tp_flags & Py_TPFLAGS_HEAPTYPE)
        || lt->tp_basicsize != PyList_Type.tp_basicsize || lt->tp_itemsize != PyList_Type.tp_itemsize
        || lt->tp_dictoffset != 0 || lt->tp_weaklistoffset != 0
        || (lt->tp_flags & Py_TPFLAGS_HAVE_GC) != (PyList_Type.tp_flags & Py_TPFLAGS_HAVE_GC)
#ifdef Py_TPFLAGS_MANAGED_DICT
        || (lt->tp_flags & Py_TPFLAGS_MANAGED_DICT)
#endif
#ifdef Py_TPFLAGS_MANAGED_WEAKREF
        || (lt->tp_flags & Py_TPFLAGS_MANAGED_WEAKREF)
#endif
        ) {
        PyErr_SetString(PyExc_TypeError, "configure_cast_v2() needs a str id type and a list type of list's layout");
        return NULL;
    }
    Py_ssize_t position = 0;
    PyObject *cls, *found;
    while (PyDict_Next(table, &position, &cls, &found)) {
        PyObject *target = PyTuple_Check(found) && PyTuple_GET_SIZE(found) == 5 ? PyTuple_GET_ITEM(found, 0) : NULL;
        if (target == NULL || !PyType_Check(target)
            || !PyType_IsSubtype((PyTypeObject *)target, (PyTypeObject *)plain)
            || ((PyTypeObject *)target)->tp_basicsize != ((PyTypeObject *)plain)->tp_basicsize
            || ((PyTypeObject *)target)->tp_dictoffset != ((PyTypeObject *)plain)->tp_dictoffset
            || ((PyTypeObject *)target)->tp_itemsize != ((PyTypeObject *)plain)->tp_itemsize
            || !(((PyTypeObject *)target)->tp_flags & Py_TPFLAGS_HEAPTYPE)
            || !PyTuple_Check(PyTuple_GET_ITEM(found, 1)) || PyTuple_GET_SIZE(PyTuple_GET_ITEM(found, 1)) > 64
            || !PyBytes_CheckExact(PyTuple_GET_ITEM(found, 3)) || !PyBytes_CheckExact(PyTuple_GET_ITEM(found, 4))
            || PyBytes_GET_SIZE(PyTuple_GET_ITEM(found, 4)) != PyTuple_GET_SIZE(PyTuple_GET_ITEM(found, 1))) {
            PyErr_SetString(PyExc_TypeError, "configure_cast_v2() needs (class of the plain layout, "
                            "at most 64 entries, fix-up, positions, kinds) per class");
            return NULL;
        }
        PyObject *entries = PyTuple_GET_ITEM(found, 1);
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(entries); i++) {
            PyObject *entry = PyTuple_GET_ITEM(entries, i);
            if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 3
                || !PyUnicode_Check(PyTuple_GET_ITEM(entry, 0)) || !PyLong_Check(PyTuple_GET_ITEM(entry, 1))) {
                PyErr_SetString(PyExc_TypeError, "configure_cast_v2() needs (key, kind, target) entries");
                return NULL;
            }
        }
    }
    if (v2_lower == NULL) {
        v2_lower = PyUnicode_InternFromString("lower");
        v2_true = PyUnicode_InternFromString("true");
        if (v2_lower == NULL || v2_true == NULL) {
            return NULL;
        }
    }
    Py_XSETREF(field_numbers, Py_NewRef(numbers));
    if (merge_field_numbers() < 0) {
        return NULL;
    }
    Py_XSETREF(v2_table, Py_NewRef(table));
    Py_XSETREF(v2_chooser, Py_NewRef(chooser));
    Py_XSETREF(v2_id_type, (PyTypeObject *)Py_NewRef(id_type));
    Py_XSETREF(v2_list_type, Py_NewRef(list_type));
    Py_XSETREF(v2_fromiso, Py_NewRef(fromiso));
    Py_XSETREF(v2_date, Py_NewRef(date));
    Py_RETURN_NONE;
}

static PyMethodDef speedups_methods[] = {
    {"cast_entity", cast_entity, METH_VARARGS,
     "cast_entity(obj, cls): give a decoded object its entity class, top-down; returns obj."},
    {"configure_cast", configure_cast, METH_VARARGS,
     "configure_cast(plain_type, entity_fields, choose): set the table cast_entity follows."},
    {"cast_entity_v2", cast_entity_v2, METH_VARARGS,
     "cast_entity_v2(obj, cls): dialect 2's cast: classes, conversions by declared type, absent fields."},
    {"configure_cast_v2", configure_cast_v2, METH_VARARGS,
     "configure_cast_v2(plain_type, table, choose, id_type, list_type, fromisoformat, date): dialect 2's tables."},
    {"object_hook_plain", object_hook_plain, METH_O,
     "JSON object hook of dialect 2: an AttribAccessDict of the wire values."},
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
        || PyModule_AddIntMacro(module, KIND_UNCOVERED) < 0 || PyModule_AddIntMacro(module, CAST_ONE) < 0
        || PyModule_AddIntMacro(module, CAST_LIST) < 0 || PyModule_AddIntMacro(module, CAST_MAPPING) < 0
        || PyModule_AddIntMacro(module, CAST_UNION) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
