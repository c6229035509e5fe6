use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "customers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub customer_number: String,
    pub name: String,
    pub phone: String,
    pub whatsapp: Option<String>,
    pub email: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    pub area_id: Uuid,
    pub package_id: Uuid,
    pub odp_id: Option<Uuid>,
    pub odp_port: Option<i32>,
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    /// Installation date the customer asked for (`YYYY-MM-DD`).
    pub preferred_date: Option<String>,
    /// Time window the customer asked for, e.g. `08:00-12:00`.
    pub preferred_window: Option<String>,
    /// How the record came in: `staff`, `portal` or `import`.
    pub source: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When the personal data was erased at the customer's request.
    pub erased_at: Option<DateTimeUtc>,
    /// Rukun Tetangga, e.g. `003`.
    pub rt: Option<String>,
    /// Rukun Warga, e.g. `012`.
    pub rw: Option<String>,
    pub kelurahan: Option<String>,
    pub kecamatan: Option<String>,
    pub city: Option<String>,
    /// The PPPoE username the customer's router dials with (unique).
    pub pppoe_username: Option<String>,
    /// The billing system's id for this customer (unique).
    pub billing_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The status as the domain knows it (the column only ever holds one of
    /// its names; anything else reads as a prospect).
    pub fn status(&self) -> netcrew_domain::CustomerStatus {
        netcrew_domain::CustomerStatus::parse(&self.status)
            .unwrap_or(netcrew_domain::CustomerStatus::Prospect)
    }

    pub fn source(&self) -> netcrew_domain::CustomerSource {
        netcrew_domain::CustomerSource::parse(&self.source)
            .unwrap_or(netcrew_domain::CustomerSource::Staff)
    }

    pub fn preferred_window(&self) -> Option<netcrew_domain::InstallWindow> {
        self.preferred_window
            .as_deref()
            .and_then(netcrew_domain::InstallWindow::parse)
    }
}
