#include "src/normalize/names.h"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <vector>

namespace matchguard {
namespace {

// The tables keep one formal name (or one row of suffixes) per line.
// clang-format off
// (nickname, formal), grouped by formal name. Written from general knowledge of English naming customs.
constexpr NicknamePair kNicknames[] = {
    // Men's names.
    {"abe", "abraham"}, {"bram", "abraham"},
    {"al", "alan"}, {"al", "allen"},
    {"al", "albert"}, {"bert", "albert"}, {"bertie", "albert"},
    {"alex", "alexander"}, {"al", "alexander"}, {"alec", "alexander"}, {"sandy", "alexander"},
    {"xander", "alexander"}, {"lex", "alexander"}, {"sasha", "alexander"}, {"zander", "alexander"},
    {"al", "alfred"}, {"alf", "alfred"}, {"alfie", "alfred"}, {"fred", "alfred"}, {"freddie", "alfred"},
    {"lon", "alonzo"}, {"lonnie", "alonzo"},
    {"andy", "andrew"}, {"drew", "andrew"}, {"andie", "andrew"},
    {"tony", "anthony"}, {"ant", "anthony"},
    {"tony", "antonio"},
    {"arnie", "arnold"},
    {"art", "arthur"}, {"artie", "arthur"},
    {"gus", "augustus"}, {"gus", "august"}, {"augie", "august"},
    {"bart", "bartholomew"},
    {"ben", "benedict"},
    {"ben", "benjamin"}, {"benny", "benjamin"}, {"benji", "benjamin"}, {"benjy", "benjamin"},
    {"bernie", "bernard"},
    {"bert", "bertram"},
    {"brad", "bradford"}, {"brad", "bradley"},
    {"cal", "calvin"},
    {"cam", "cameron"},
    {"charlie", "charles"}, {"chuck", "charles"}, {"chas", "charles"}, {"chaz", "charles"}, {"chip", "charles"},
    {"chet", "chester"},
    {"chris", "christian"},
    {"chris", "christopher"}, {"kit", "christopher"}, {"topher", "christopher"}, {"kris", "christopher"},
    {"clem", "clement"},
    {"cliff", "clifford"},
    {"neil", "cornelius"}, {"connie", "cornelius"},
    {"curt", "curtis"},
    {"cy", "cyrus"},
    {"dan", "daniel"}, {"danny", "daniel"},
    {"dave", "david"}, {"davey", "david"}, {"davy", "david"},
    {"denny", "dennis"},
    {"dom", "dominic"},
    {"don", "donald"}, {"donnie", "donald"}, {"donny", "donald"},
    {"doug", "douglas"},
    {"eben", "ebenezer"},
    {"ed", "edmund"}, {"ned", "edmund"},
    {"ed", "edward"}, {"eddie", "edward"}, {"eddy", "edward"}, {"ned", "edward"}, {"ted", "edward"},
    {"teddy", "edward"},
    {"ed", "edwin"}, {"eddie", "edwin"},
    {"eli", "elias"}, {"eli", "elijah"},
    {"manny", "emmanuel"}, {"manny", "manuel"},
    {"ernie", "ernest"},
    {"gene", "eugene"},
    {"zeke", "ezekiel"},
    {"ferdie", "ferdinand"}, {"fred", "ferdinand"},
    {"frank", "francis"}, {"fran", "francis"},
    {"frank", "franklin"},
    {"fred", "frederick"}, {"freddie", "frederick"}, {"freddy", "frederick"}, {"fritz", "frederick"},
    {"rick", "frederick"},
    {"gabe", "gabriel"},
    {"geoff", "geoffrey"}, {"jeff", "geoffrey"},
    {"georgie", "george"},
    {"gerry", "gerald"}, {"jerry", "gerald"},
    {"gerry", "gerard"},
    {"gil", "gilbert"},
    {"greg", "gregory"},
    {"hal", "harold"}, {"harry", "harold"},
    {"harry", "harrison"},
    {"hank", "henry"}, {"harry", "henry"}, {"hal", "henry"},
    {"herb", "herbert"}, {"bert", "herbert"},
    {"howie", "howard"},
    {"bert", "hubert"},
    {"iggy", "ignatius"},
    {"irv", "irving"},
    {"ike", "isaac"}, {"zac", "isaac"},
    {"jake", "jacob"}, {"jay", "jacob"},
    {"jim", "james"}, {"jimmy", "james"}, {"jamie", "james"}, {"jimbo", "james"}, {"jem", "james"},
    {"jas", "jasper"},
    {"jeff", "jefferson"},
    {"jeff", "jeffrey"},
    {"jerry", "jeremiah"}, {"jerry", "jeremy"}, {"jerry", "jerome"},
    {"jack", "john"}, {"johnny", "john"}, {"jon", "john"}, {"jonny", "john"},
    {"jon", "jonathan"}, {"jonny", "jonathan"},
    {"joe", "joseph"}, {"joey", "joseph"}, {"jos", "joseph"},
    {"josh", "joshua"},
    {"jules", "julian"},
    {"ken", "kenneth"}, {"kenny", "kenneth"},
    {"larry", "lawrence"}, {"laurie", "lawrence"}, {"larry", "laurence"},
    {"len", "leonard"}, {"lenny", "leonard"}, {"leo", "leonard"},
    {"leo", "leopold"},
    {"lew", "lewis"}, {"lou", "lewis"},
    {"lou", "louis"}, {"louie", "louis"},
    {"luke", "lucas"},
    {"matt", "matthew"}, {"matty", "matthew"},
    {"max", "maximilian"}, {"max", "maxwell"},
    {"mike", "michael"}, {"mikey", "michael"}, {"mick", "michael"}, {"mickey", "michael"}, {"mitch", "michael"},
    {"mitch", "mitchell"},
    {"monty", "montgomery"},
    {"mort", "mortimer"}, {"morty", "mortimer"},
    {"nate", "nathan"}, {"nat", "nathan"},
    {"nate", "nathaniel"}, {"nat", "nathaniel"}, {"nathan", "nathaniel"},
    {"nick", "nicholas"}, {"nicky", "nicholas"}, {"nico", "nicholas"},
    {"norm", "norman"},
    {"ollie", "oliver"},
    {"pat", "patrick"}, {"paddy", "patrick"},
    {"percy", "percival"},
    {"pete", "peter"},
    {"phil", "philip"}, {"pip", "philip"}, {"phil", "phillip"},
    {"quinn", "quentin"},
    {"randy", "randall"}, {"randy", "randolph"},
    {"rafe", "raphael"},
    {"ray", "raymond"},
    {"reg", "reginald"}, {"reggie", "reginald"},
    {"rube", "reuben"},
    {"rick", "richard"}, {"ricky", "richard"}, {"dick", "richard"}, {"rich", "richard"}, {"richie", "richard"},
    {"bob", "robert"}, {"bobby", "robert"}, {"rob", "robert"}, {"robbie", "robert"}, {"bert", "robert"},
    {"rod", "roderick"}, {"rick", "roderick"},
    {"rod", "rodney"},
    {"rollie", "roland"},
    {"ron", "ronald"}, {"ronnie", "ronald"},
    {"rudy", "rudolph"},
    {"russ", "russell"},
    {"sam", "samson"},
    {"sam", "samuel"}, {"sammy", "samuel"},
    {"seb", "sebastian"},
    {"shel", "sheldon"},
    {"sherm", "sherman"},
    {"sol", "solomon"},
    {"stan", "stanley"},
    {"steve", "stephen"}, {"stevie", "stephen"},
    {"steve", "steven"}, {"stevie", "steven"},
    {"stu", "stuart"}, {"stu", "stewart"},
    {"sly", "sylvester"},
    {"terry", "terence"}, {"terry", "terrence"},
    {"thad", "thaddeus"},
    {"ted", "theodore"}, {"teddy", "theodore"}, {"theo", "theodore"},
    {"theo", "theophilus"},
    {"tom", "thomas"}, {"tommy", "thomas"}, {"thom", "thomas"},
    {"tim", "timothy"}, {"timmy", "timothy"},
    {"toby", "tobias"},
    {"vern", "vernon"},
    {"vic", "victor"},
    {"vince", "vincent"}, {"vinny", "vincent"}, {"vinnie", "vincent"},
    {"wally", "wallace"},
    {"walt", "walter"}, {"wally", "walter"},
    {"wes", "wesley"},
    {"fred", "wilfred"}, {"will", "wilfred"},
    {"bill", "william"}, {"billy", "william"}, {"will", "william"}, {"willie", "william"}, {"willy", "william"},
    {"liam", "william"}, {"wil", "william"},
    {"woody", "woodrow"},
    {"zach", "zachariah"}, {"zack", "zachariah"},
    {"zach", "zachary"}, {"zack", "zachary"}, {"zac", "zachary"},
    // Women's names.
    {"abby", "abigail"}, {"abbie", "abigail"}, {"gail", "abigail"},
    {"addie", "adelaide"}, {"heidi", "adelaide"},
    {"addie", "adeline"},
    {"bertie", "alberta"},
    {"alex", "alexandra"}, {"sandra", "alexandra"}, {"sandy", "alexandra"}, {"lexi", "alexandra"},
    {"alexa", "alexandra"}, {"sasha", "alexandra"},
    {"lexi", "alexis"},
    {"ali", "alicia"},
    {"ali", "allison"}, {"allie", "allison"},
    {"mandy", "amanda"},
    {"millie", "amelia"}, {"amy", "amelia"},
    {"stacy", "anastasia"}, {"stacey", "anastasia"},
    {"angie", "angela"}, {"angie", "angelina"},
    {"annie", "ann"}, {"nan", "ann"}, {"nancy", "ann"},
    {"annie", "anne"}, {"nan", "anne"}, {"nancy", "anne"},
    {"annie", "annabelle"}, {"belle", "annabelle"},
    {"toni", "antoinette"}, {"netty", "antoinette"},
    {"bella", "arabella"},
    {"barb", "barbara"}, {"barbie", "barbara"}, {"babs", "barbara"}, {"bobbie", "barbara"},
    {"bea", "beatrice"}, {"trixie", "beatrice"},
    {"bernie", "bernadette"},
    {"bev", "beverly"},
    {"biddy", "bridget"}, {"bridie", "bridget"},
    {"candy", "candace"},
    {"lottie", "carlotta"},
    {"carrie", "caroline"}, {"carol", "caroline"}, {"caro", "caroline"},
    {"carrie", "carolyn"}, {"carol", "carolyn"},
    {"cassie", "cassandra"}, {"sandy", "cassandra"},
    {"cathy", "catherine"}, {"cat", "catherine"}, {"kate", "catherine"}, {"katie", "catherine"},
    {"cate", "catherine"},
    {"cece", "cecilia"}, {"celia", "cecilia"}, {"sissy", "cecilia"},
    {"lottie", "charlotte"}, {"charlie", "charlotte"},
    {"chris", "christina"}, {"tina", "christina"}, {"chrissy", "christina"},
    {"chris", "christine"}, {"tina", "christine"}, {"chrissy", "christine"},
    {"clem", "clementine"},
    {"connie", "constance"},
    {"delia", "cordelia"},
    {"cindy", "cynthia"},
    {"dani", "danielle"},
    {"deb", "deborah"}, {"debbie", "deborah"}, {"debby", "deborah"},
    {"dee", "delores"}, {"dee", "dolores"}, {"lola", "dolores"},
    {"di", "diana"}, {"dee", "diana"},
    {"dot", "dorothy"}, {"dottie", "dorothy"}, {"dolly", "dorothy"}, {"dora", "dorothy"},
    {"edie", "edith"},
    {"lainey", "elaine"},
    {"ellie", "eleanor"}, {"nell", "eleanor"}, {"nora", "eleanor"}, {"nellie", "eleanor"},
    {"liz", "elizabeth"}, {"lizzie", "elizabeth"}, {"lizzy", "elizabeth"}, {"beth", "elizabeth"},
    {"betty", "elizabeth"}, {"bess", "elizabeth"}, {"bessie", "elizabeth"}, {"betsy", "elizabeth"},
    {"eliza", "elizabeth"}, {"libby", "elizabeth"}, {"liza", "elizabeth"}, {"lisa", "elizabeth"},
    {"elsie", "elizabeth"}, {"bette", "elizabeth"},
    {"ellie", "ellen"}, {"nell", "ellen"},
    {"em", "emily"}, {"emmy", "emily"},
    {"em", "emma"},
    {"stella", "estelle"},
    {"essie", "esther"}, {"hetty", "esther"},
    {"dora", "eudora"},
    {"gina", "eugenia"},
    {"effie", "euphemia"},
    {"eva", "evangeline"},
    {"evie", "evelyn"},
    {"flo", "florence"}, {"flossie", "florence"},
    {"fran", "frances"}, {"frannie", "frances"}, {"fanny", "frances"},
    {"freddie", "frederica"},
    {"gabby", "gabrielle"},
    {"gerry", "geraldine"},
    {"georgie", "georgina"}, {"gina", "georgina"},
    {"gertie", "gertrude"}, {"trudy", "gertrude"},
    {"gwen", "gwendolyn"}, {"wendy", "gwendolyn"},
    {"hattie", "harriet"},
    {"nell", "helen"}, {"nellie", "helen"},
    {"lena", "helena"},
    {"hattie", "henrietta"}, {"etta", "henrietta"}, {"hetty", "henrietta"},
    {"bella", "isabella"}, {"izzy", "isabella"}, {"isa", "isabella"},
    {"bella", "isabel"}, {"izzy", "isabel"},
    {"izzy", "isadora"}, {"dora", "isadora"},
    {"jackie", "jacqueline"}, {"jacqui", "jacqueline"},
    {"janie", "jane"},
    {"jan", "janet"},
    {"jen", "jennifer"}, {"jenny", "jennifer"}, {"jenn", "jennifer"},
    {"jess", "jessica"}, {"jessie", "jessica"},
    {"jo", "joan"}, {"jo", "joanna"}, {"jo", "joanne"}, {"jo", "johanna"},
    {"jo", "josephine"}, {"josie", "josephine"}, {"jody", "josephine"},
    {"judy", "judith"}, {"jude", "judith"},
    {"julie", "julia"}, {"jules", "julia"},
    {"julie", "juliana"},
    {"kathy", "katherine"}, {"kate", "katherine"}, {"katie", "katherine"}, {"kat", "katherine"},
    {"kay", "katherine"}, {"kit", "katherine"}, {"kitty", "katherine"},
    {"kathy", "kathleen"}, {"kate", "kathleen"}, {"kay", "kathleen"},
    {"kat", "katrina"}, {"trina", "katrina"},
    {"kim", "kimberly"},
    {"kris", "kristina"}, {"tina", "kristina"},
    {"laurie", "laura"},
    {"letty", "letitia"}, {"tish", "letitia"},
    {"lily", "lillian"}, {"lil", "lillian"}, {"lilly", "lillian"},
    {"lori", "lorraine"},
    {"lou", "louisa"},
    {"lou", "louise"}, {"lulu", "louise"},
    {"cindy", "lucinda"}, {"lucy", "lucinda"},
    {"lucy", "lucille"},
    {"maddie", "madeline"}, {"maddy", "madeline"},
    {"maggie", "magdalene"}, {"lena", "magdalene"},
    {"maggie", "margaret"}, {"meg", "margaret"}, {"peggy", "margaret"}, {"peg", "margaret"},
    {"marge", "margaret"}, {"margie", "margaret"}, {"madge", "margaret"}, {"greta", "margaret"},
    {"rita", "margaret"}, {"maisie", "margaret"}, {"daisy", "margaret"},
    {"margie", "marjorie"}, {"marge", "marjorie"},
    {"marty", "martha"}, {"patty", "martha"}, {"mattie", "martha"},
    {"marty", "martin"},
    {"molly", "mary"}, {"polly", "mary"}, {"mae", "mary"}, {"mamie", "mary"},
    {"tilly", "matilda"}, {"mattie", "matilda"}, {"maud", "matilda"},
    {"mel", "melanie"},
    {"mindy", "melinda"}, {"mel", "melinda"},
    {"mel", "melissa"}, {"missy", "melissa"}, {"lisa", "melissa"},
    {"shelly", "michelle"},
    {"millie", "mildred"},
    {"millie", "millicent"},
    {"minnie", "minerva"},
    {"mimi", "miriam"},
    {"nat", "natalie"}, {"tally", "natalie"},
    {"nicky", "nicole"}, {"nikki", "nicole"},
    {"liv", "olivia"}, {"livvy", "olivia"}, {"ollie", "olivia"},
    {"pam", "pamela"}, {"pammy", "pamela"},
    {"patty", "patience"},
    {"pat", "patricia"}, {"patty", "patricia"}, {"patsy", "patricia"}, {"trish", "patricia"},
    {"tricia", "patricia"}, {"trisha", "patricia"},
    {"penny", "penelope"},
    {"pippa", "philippa"}, {"pip", "philippa"},
    {"cilla", "priscilla"},
    {"prue", "prudence"}, {"prudy", "prudence"},
    {"rae", "rachel"},
    {"becky", "rebecca"}, {"becca", "rebecca"}, {"becki", "rebecca"}, {"reba", "rebecca"},
    {"gina", "regina"},
    {"bobbie", "roberta"}, {"robbie", "roberta"}, {"bertie", "roberta"},
    {"rose", "rosemary"}, {"rosie", "rosemary"},
    {"sam", "samantha"}, {"sammy", "samantha"},
    {"sandy", "sandra"},
    {"sally", "sarah"}, {"sadie", "sarah"}, {"sal", "sarah"},
    {"sally", "sara"},
    {"sophie", "sophia"},
    {"steph", "stephanie"}, {"stevie", "stephanie"},
    {"sue", "susan"}, {"susie", "susan"}, {"suzy", "susan"},
    {"sue", "susanna"}, {"suzy", "susanna"},
    {"sue", "suzanne"}, {"suzy", "suzanne"},
    {"tabby", "tabitha"},
    {"terry", "teresa"}, {"tess", "teresa"}, {"tessa", "teresa"},
    {"terry", "theresa"}, {"tess", "theresa"}, {"tessa", "theresa"}, {"tracy", "theresa"},
    {"dora", "theodora"},
    {"val", "valentina"},
    {"val", "valerie"},
    {"nessa", "vanessa"},
    {"ronnie", "veronica"},
    {"vicky", "victoria"}, {"vickie", "victoria"}, {"tori", "victoria"},
    {"ginny", "virginia"}, {"ginger", "virginia"},
    {"viv", "vivian"},
    {"mina", "wilhelmina"}, {"billie", "wilhelmina"}, {"willa", "wilhelmina"},
    {"winnie", "winifred"},
};

// USPS Publication 28 appendix C1: the commonest suffixes with their standard abbreviations, and a few
// Australian and British ones (circuit, close, parade, ...) that FEBRL data uses.
constexpr StreetSuffix kStreetSuffixes[] = {
    {"alley", "aly"},       {"annex", "anx"},       {"arcade", "arc"},      {"avenue", "ave"},
    {"bayou", "byu"},       {"beach", "bch"},       {"bend", "bnd"},        {"bluff", "blf"},
    {"bottom", "btm"},      {"boulevard", "blvd"},  {"branch", "br"},       {"bridge", "brg"},
    {"brook", "brk"},       {"burg", "bg"},         {"bypass", "byp"},      {"camp", "cp"},
    {"canyon", "cyn"},      {"cape", "cpe"},        {"causeway", "cswy"},   {"center", "ctr"},
    {"circle", "cir"},      {"circuit", "cir"},     {"cliff", "clf"},       {"club", "clb"},
    {"common", "cmn"},      {"corner", "cor"},      {"course", "crse"},     {"court", "ct"},
    {"cove", "cv"},         {"creek", "crk"},       {"crescent", "cres"},   {"crest", "crst"},
    {"crossing", "xing"},   {"curve", "curv"},      {"dale", "dl"},         {"dam", "dm"},
    {"divide", "dv"},       {"drive", "dr"},        {"estate", "est"},      {"expressway", "expy"},
    {"extension", "ext"},   {"falls", "fls"},       {"ferry", "fry"},       {"field", "fld"},
    {"fields", "flds"},     {"flat", "flt"},        {"ford", "frd"},        {"forest", "frst"},
    {"forge", "frg"},       {"fork", "frk"},        {"fort", "ft"},         {"freeway", "fwy"},
    {"garden", "gdn"},      {"gardens", "gdns"},    {"gateway", "gtwy"},    {"glen", "gln"},
    {"green", "grn"},       {"grove", "grv"},       {"harbor", "hbr"},      {"haven", "hvn"},
    {"heights", "hts"},     {"highway", "hwy"},     {"hill", "hl"},         {"hills", "hls"},
    {"hollow", "holw"},     {"inlet", "inlt"},      {"island", "is"},       {"islands", "iss"},
    {"junction", "jct"},    {"key", "ky"},          {"knoll", "knl"},       {"lake", "lk"},
    {"lakes", "lks"},       {"landing", "lndg"},    {"lane", "ln"},         {"light", "lgt"},
    {"lock", "lck"},        {"lodge", "ldg"},       {"manor", "mnr"},       {"meadow", "mdw"},
    {"meadows", "mdws"},    {"mill", "ml"},         {"mission", "msn"},     {"motorway", "mtwy"},
    {"mount", "mt"},        {"mountain", "mtn"},    {"neck", "nck"},        {"orchard", "orch"},
    {"parkway", "pkwy"},    {"pine", "pne"},        {"place", "pl"},        {"plain", "pln"},
    {"plains", "plns"},     {"plaza", "plz"},       {"point", "pt"},        {"port", "prt"},
    {"prairie", "pr"},      {"radial", "radl"},     {"ranch", "rnch"},      {"rapids", "rpds"},
    {"rest", "rst"},        {"ridge", "rdg"},       {"river", "riv"},       {"road", "rd"},
    {"route", "rte"},       {"shoal", "shl"},       {"shore", "shr"},       {"spring", "spg"},
    {"springs", "spgs"},    {"square", "sq"},       {"station", "sta"},     {"stream", "strm"},
    {"street", "st"},       {"summit", "smt"},      {"terrace", "ter"},     {"trace", "trce"},
    {"track", "trak"},      {"trail", "trl"},       {"tunnel", "tunl"},     {"turnpike", "tpke"},
    {"union", "un"},        {"valley", "vly"},      {"viaduct", "via"},     {"view", "vw"},
    {"village", "vlg"},     {"ville", "vl"},        {"vista", "vis"},       {"well", "wl"},
    {"wells", "wls"},       {"close", "cl"},        {"parade", "pde"},      {"esplanade", "esp"},
    {"centre", "ctr"},      {"harbour", "hbr"},
};

// Other spellings people use for the same suffix (USPS C1 "commonly used" column).
constexpr StreetSuffix kStreetVariants[] = {
    {"av", "ave"},     {"aven", "ave"},   {"avenu", "ave"},  {"avn", "ave"},    {"avnue", "ave"},
    {"boul", "blvd"},  {"boulv", "blvd"}, {"blv", "blvd"},   {"str", "st"},     {"strt", "st"},
    {"crt", "ct"},     {"crsnt", "cres"}, {"cresent", "cres"}, {"crcl", "cir"}, {"circ", "cir"},
    {"crcle", "cir"},  {"circl", "cir"},  {"drv", "dr"},     {"driv", "dr"},    {"hiway", "hwy"},
    {"hway", "hwy"},   {"highwy", "hwy"}, {"parkwy", "pkwy"}, {"pky", "pkwy"}, {"pkway", "pkwy"},
    {"sqr", "sq"},     {"squ", "sq"},     {"terr", "ter"},   {"plza", "plz"},   {"cent", "ctr"},
    {"centr", "ctr"},  {"cntr", "ctr"},   {"cnter", "ctr"},  {"expr", "expy"},  {"expw", "expy"},
    {"frwy", "fwy"},   {"freewy", "fwy"}, {"trails", "trl"}, {"lanes", "ln"},   {"jction", "jct"},
    {"jctn", "jct"},   {"mnt", "mt"},     {"mtin", "mtn"},   {"rdge", "rdg"},   {"grov", "grv"},
    {"ht", "hts"},
};

constexpr StreetSuffix kDirectionals[] = {
    {"north", "n"},    {"south", "s"},    {"east", "e"},     {"west", "w"},     {"northeast", "ne"},
    {"northwest", "nw"}, {"southeast", "se"}, {"southwest", "sw"},
};

// US states, the District of Columbia, territories, and Australian states and territories (FEBRL).
constexpr StreetSuffix kStates[] = {
    {"alabama", "al"}, {"alaska", "ak"}, {"arizona", "az"}, {"arkansas", "ar"}, {"california", "ca"},
    {"colorado", "co"}, {"connecticut", "ct"}, {"delaware", "de"}, {"district of columbia", "dc"},
    {"florida", "fl"}, {"georgia", "ga"}, {"hawaii", "hi"}, {"idaho", "id"}, {"illinois", "il"},
    {"indiana", "in"}, {"iowa", "ia"}, {"kansas", "ks"}, {"kentucky", "ky"}, {"louisiana", "la"},
    {"maine", "me"}, {"maryland", "md"}, {"massachusetts", "ma"}, {"michigan", "mi"}, {"minnesota", "mn"},
    {"mississippi", "ms"}, {"missouri", "mo"}, {"montana", "mt"}, {"nebraska", "ne"}, {"nevada", "nv"},
    {"new hampshire", "nh"}, {"new jersey", "nj"}, {"new mexico", "nm"}, {"new york", "ny"},
    {"north carolina", "nc"}, {"north dakota", "nd"}, {"ohio", "oh"}, {"oklahoma", "ok"}, {"oregon", "or"},
    {"pennsylvania", "pa"}, {"rhode island", "ri"}, {"south carolina", "sc"}, {"south dakota", "sd"},
    {"tennessee", "tn"}, {"texas", "tx"}, {"utah", "ut"}, {"vermont", "vt"}, {"virginia", "va"},
    {"washington", "wa"}, {"west virginia", "wv"}, {"wisconsin", "wi"}, {"wyoming", "wy"},
    {"puerto rico", "pr"}, {"guam", "gu"}, {"virgin islands", "vi"}, {"american samoa", "as"},
    {"northern mariana islands", "mp"},
    {"new south wales", "nsw"}, {"victoria", "vic"}, {"queensland", "qld"}, {"south australia", "sa"},
    {"western australia", "wa"}, {"tasmania", "tas"}, {"northern territory", "nt"},
    {"australian capital territory", "act"},
};
// clang-format on

using FormalIndex = std::unordered_map<std::string_view, std::vector<std::string_view>>;

// Every name in the table mapped to the formal names it stands for (a formal name stands for itself).
FormalIndex BuildFormals() {
  FormalIndex index;
  for (const NicknamePair& pair : kNicknames) {
    index[pair.nickname].push_back(pair.formal);
    index[pair.formal].push_back(pair.formal);
  }
  for (auto& [name, formals] : index) {
    std::sort(formals.begin(), formals.end());
    formals.erase(std::unique(formals.begin(), formals.end()), formals.end());
  }
  return index;
}

const FormalIndex& Formals() {
  static const FormalIndex index = BuildFormals();
  return index;
}

using WordIndex = std::unordered_map<std::string_view, std::string_view>;

WordIndex BuildStreetWords() {
  WordIndex index;
  for (const StreetSuffix& suffix : kStreetSuffixes) index.emplace(suffix.word, suffix.abbreviation);
  for (const StreetSuffix& variant : kStreetVariants) index.emplace(variant.word, variant.abbreviation);
  for (const StreetSuffix& suffix : kStreetSuffixes) index.emplace(suffix.abbreviation, suffix.abbreviation);
  return index;
}

const WordIndex& StreetWordIndex() {
  static const WordIndex index = BuildStreetWords();
  return index;
}

std::string_view Lookup(const WordIndex& index, std::string_view word) {
  auto it = index.find(word);
  return it == index.end() ? std::string_view() : it->second;
}

}  // namespace

std::span<const NicknamePair> NicknamePairs() { return kNicknames; }

std::span<const StreetSuffix> StreetSuffixes() { return kStreetSuffixes; }

bool NicknameEquivalent(std::string_view a, std::string_view b) {
  if (a == b) return !a.empty();
  const FormalIndex& index = Formals();
  auto ia = index.find(a);
  auto ib = index.find(b);
  if (ia == index.end() || ib == index.end()) return false;
  // Both lists are short and sorted: walk them together looking for a shared formal name.
  auto x = ia->second.begin();
  auto y = ib->second.begin();
  while (x != ia->second.end() && y != ib->second.end()) {
    if (*x == *y) return true;
    if (*x < *y) {
      ++x;
    } else {
      ++y;
    }
  }
  return false;
}

std::string_view StreetSuffixAbbreviation(std::string_view word) { return Lookup(StreetWordIndex(), word); }

std::string_view StateAbbreviation(std::string_view name) {
  for (const StreetSuffix& state : kStates) {
    if (name == state.word) return state.abbreviation;
  }
  return name;
}

std::string_view DirectionalAbbreviation(std::string_view word) {
  for (const StreetSuffix& directional : kDirectionals) {
    if (word == directional.word || word == directional.abbreviation) return directional.abbreviation;
  }
  return {};
}

}  // namespace matchguard
